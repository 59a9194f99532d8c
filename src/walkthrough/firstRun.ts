import * as vscode from 'vscode';
import { findProductFiles } from '../documents/productFiles';
import { getSettings } from '../util/settings';
import { log } from '../util/log';

const OPENED = 'encryptedProperties.walkthroughOpened';

/**
 * Opens the walkthrough once, on the first activation in a workspace that holds a product file (after activation,
 * without delaying it). Remembered per machine; encryptedProperties.walkthrough.openOnFirstRun turns it off.
 */
export async function openWalkthroughOnFirstRun(state: vscode.Memento): Promise<boolean> {
  if (!getSettings().openWalkthroughOnFirstRun) return false;
  if (state.get<boolean>(OPENED)) {
    log().info('walkthrough: opened on an earlier run, not again');
    return false;
  }
  if ((await findProductFiles(1)).length === 0) return false;
  await state.update(OPENED, true);
  log().info('walkthrough: opened on the first run in a workspace with product files');
  await vscode.commands.executeCommand('encryptedProperties.openWalkthrough');
  return true;
}
