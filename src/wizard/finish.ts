/** The finish: the file at the edited lines, the verify, the restart checklist and the backup to move. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { FileKind } from '../core/model/fileKind';
import { containerVariable, passwordKeyOf } from '../core/edits/containerPlan';
import { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import { moveBackup } from '../files/moveBackup';
import { restartChecklist } from '../core/verify/checklist';
import { applySummary } from '../core/product/password';
import { gitWorkingTree } from '../files/gitTree';
import { analyzeFile } from '../core/analyzeFile';
import { CONTAINER_VARIABLES } from '../core/model/containers';
import { LineIndex } from '../core/text/lineIndex';
import { toRange } from '../documents/analysisCache';
import { awsCliCheckCommand } from '../core/verify/awsCommands';
import * as os from 'os';
import { regionInfo } from '../core/regions/regions';
import { log } from '../util/log';
import { walkthroughDone } from '../walkthrough/progress';
import { WizardContext, FinishChoice } from './state';

/** The finish's offer for an existing Jira container. */
const FORCE_ACTION = `Set ${CONTAINER_VARIABLES.forceCfgUpdate}=true`;

/**
 * After writing: the file opens at the edited lines, the reference is verified there (the result shows in the lens),
 * and a message that stays says what is left: the checklist, and the backup that holds the plaintext password, which
 * can be moved out of the workspace (a save dialog) or opened. A backup left in place is said, not kept silently.
 */
export async function finish(
  w: WizardContext,
  document: vscode.TextDocument,
  kind: FileKind,
  edits: readonly { start: number; end: number; newText: string }[],
  target: AwsSecretTarget,
  backup: string | undefined,
  service: string | undefined,
): Promise<void> {
  const first = Math.min(...edits.map((e) => e.start));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  const line = document.positionAt(first).line;
  editor.selection = new vscode.Selection(line, 0, line, 0);
  editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // In a container file, the chosen container's variable (another service may set the same one).
  const at = kind.format === 'container' ? containerVariable(document.getText(), kind, passwordKeyOf(kind), service)?.start : undefined;
  const outcome = await w.verify.verifyReference(document, passwordKeyOf(kind), at);
  const fileName = path.basename(document.uri.fsPath);
  const checklist = restartChecklist({
    kind,
    fileName,
    backup: backup && path.basename(backup),
    cliCheck: awsCliCheckCommand(target, process.platform === 'win32' ? 'powershell' : 'posix'),
  });
  const verified = outcome ? `Verify: ${outcome.message}` : 'Not verified here.';
  const message =
    `The database password now reads ${target.secretId} (${regionInfo(target.region)?.name ?? target.region}). ` +
    applySummary(kind) +
    (backup
      ? ` The backup ${path.dirname(backup) === path.dirname(document.uri.fsPath) ? path.basename(backup) : backup} holds the old file, with the plaintext password.`
      : '');
  // An existing Jira container rewrites dbconfig.xml from the variables only with ATL_FORCE_CFG_UPDATE=true: offered.
  const force = () => analyzeFile(document.getText(), { kind }).findings.find((f) => f.code === 'container-jira-force-cfg-update' && f.fixes?.length);
  for (;;) {
    const actions = [...(backup && fs.existsSync(backup) ? ['Move Backup…', 'Open Backup'] : []), ...(force() ? [FORCE_ACTION] : [])];
    const choice = (await w.ui.finish(message, [verified, '', ...checklist].join('\n'), ...actions, 'Copy Checklist')) as FinishChoice;
    if ((choice as string) === FORCE_ACTION) {
      const fix = force()!.fixes![0];
      const edit = new vscode.WorkspaceEdit();
      const lines = new LineIndex(document.getText());
      for (const e of fix.edits) edit.replace(document.uri, toRange(lines, e.start, e.end), e.newText);
      if (await vscode.workspace.applyEdit(edit)) await document.save();
      log().info(`set ${CONTAINER_VARIABLES.forceCfgUpdate}=true in ${document.uri.fsPath}`);
      continue;
    }
    if (choice === 'Copy Checklist') {
      await vscode.env.clipboard.writeText([`${kind.profile.name} (${fileName}):`, ...checklist].join('\n'));
      walkthroughDone('restart');
      continue;
    }
    if (choice === 'Open Backup' && backup) {
      await vscode.window.showTextDocument(vscode.Uri.file(backup), { preview: true });
      return;
    }
    if (choice === 'Move Backup…' && backup) {
      // Moved or not, the finish comes back with the checklist (without the backup's buttons once it is gone).
      await moveBackupTo(w, backup);
      continue;
    }
    if (backup && fs.existsSync(backup)) log().warn(`the backup ${backup} was left beside the file; it holds the plaintext password: move it off the instance`);
    return;
  }
}

/** Asks where to move the backup (outside the workspace), moves it, and says where it is. */
async function moveBackupTo(w: WizardContext, backup: string): Promise<boolean> {
  const to = await w.ui.saveAs('Move the backup (it holds the plaintext password) out of the workspace', path.join(os.homedir(), path.basename(backup)));
  if (to === undefined) return false;
  const inside = vscode.workspace.workspaceFolders?.find(
    (f) => f.uri.scheme === 'file' && !path.relative(f.uri.fsPath, to).startsWith('..') && !path.isAbsolute(path.relative(f.uri.fsPath, to)),
  );
  if (inside) {
    w.ui.error(`${to} is inside the workspace folder ${inside.name}: pick a place outside it (the backup holds the plaintext password).`);
    return false;
  }
  const repository = gitWorkingTree(path.dirname(to));
  if (repository) void w.ui.notify(`${to} is inside the Git working tree ${repository}: a commit there could publish the plaintext password.`);
  try {
    await moveBackup(backup, to);
  } catch (error) {
    w.ui.error(`The backup could not be moved (${error instanceof Error ? error.message : String(error)}); it is still at ${backup}.`);
    return false;
  }
  log().info(`moved the backup ${backup} to ${to}`);
  void w.ui.notify(`Backup moved to ${to} (owner-only). Delete it once ${path.basename(backup).split('.bak-')[0]} works with the secret.`);
  return true;
}
