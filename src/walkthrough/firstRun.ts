import * as vscode from 'vscode';
import { findProductFiles } from '../documents/productFiles';
import { getSettings } from '../util/settings';

const OPENED = 'encryptedProperties.walkthroughOpened';

/**
 * Opens the walkthrough once, on the first activation in a workspace that holds a product file (after activation,
 * without delaying it). Remembered per machine; encryptedProperties.walkthrough.openOnFirstRun turns it off.
 */
export async function openWalkthroughOnFirstRun(state: vscode.Memento): Promise<boolean> {
  if (state.get<boolean>(OPENED) || !getSettings().openWalkthroughOnFirstRun) return false;
  if ((await findProductFiles(1)).length === 0) return false;
  await state.update(OPENED, true);
  await vscode.commands.executeCommand('encryptedProperties.openWalkthrough');
  return true;
}
