import * as path from 'path';
import * as vscode from 'vscode';
import { restartChecklist } from '../core/verify/checklist';
import { passwordKeyOf } from '../core/edits/containerPlan';
import { identityLabel } from '../core/verify/identity';
import { awsCliCheckCommand } from '../core/verify/awsCommands';
import { AnalysisCache } from '../documents/analysisCache';
import { productDocument } from '../documents/productFiles';
import { fileKindOf } from '../documents/selector';
import { log } from '../util/log';
import { editorVerifiables } from '../verify/runner';
import { credentialActions } from '../verify/ssoLogin';
import { VerifyController } from '../verify/verifyController';
import { replayWalkthroughProgress, WALKTHROUGH_ID, WalkthroughStep, walkthroughDone } from '../walkthrough/progress';
import { Command } from './commandManager';

/** Opens the walkthrough (Help › Welcome is not the only way in), optionally at one step. */
export class OpenWalkthroughCommand implements Command {
  readonly id = 'encryptedProperties.openWalkthrough';
  constructor(private readonly extensionId: string) {}

  async execute(step?: unknown) {
    const category = `${this.extensionId}#${WALKTHROUGH_ID}`;
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      typeof step === 'string' ? { category, step: `${category}#${step as WalkthroughStep}` } : category,
      false,
    );
    await replayWalkthroughProgress();
  }
}

/**
 * "Check AWS Credentials": the wizard's preflight on its own. Says who the verify (and, with the same chain, the
 * product on this machine) would run as, or what to do when there are no credentials.
 */
export class CheckCredentialsCommand implements Command {
  readonly id = 'encryptedProperties.checkCredentials';
  constructor(private readonly verify: VerifyController) {}

  async execute() {
    const verifier = this.verify.newVerifier();
    try {
      const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking AWS credentials…' }, () =>
        this.verify.preflight(verifier, undefined),
      );
      if (found.ok) {
        walkthroughDone('authenticate');
        const who = found.identity
          ? `${identityLabel(found.identity.arn)} (${found.identity.arn})`
          : `an unknown identity (${found.identityProblem ?? 'no answer'})`;
        void vscode.window.showInformationMessage(
          `AWS credentials from ${found.source}: verifying runs as ${who}. On the server, the product uses its own chain (usually the instance role).`,
        );
        return found;
      }
      const credentials = credentialActions();
      const choice = await vscode.window.showWarningMessage(`No usable AWS credentials: ${found.message}`, ...credentials.labels, 'Show Log');
      if (!(await credentials.run(choice)) && choice === 'Show Log') log().show(true);
      return found;
    } finally {
      verifier.dispose();
    }
  }
}

/** Copies the steps after writing (check on the server, move the backup, restart every node, what the log says). */
export class CopyRestartChecklistCommand implements Command {
  readonly id = 'encryptedProperties.copyRestartChecklist';
  constructor(private readonly cache: AnalysisCache) {}

  async execute(uri?: unknown) {
    const document = await productDocument(uri, 'restart with');
    if (!document) return undefined;
    const kind = fileKindOf(document);
    if (!kind) return undefined;
    const aws = editorVerifiables(document, this.cache).find((r) => r.target.store === 'aws' && r.reference.key === passwordKeyOf(kind));
    const fileName = path.posix.basename(document.uri.path);
    const lines = restartChecklist({
      kind,
      fileName,
      cliCheck: aws?.target.store === 'aws' ? awsCliCheckCommand(aws.target, process.platform === 'win32' ? 'powershell' : 'posix') : undefined,
    });
    const text = [`${kind.profile.name} (${vscode.workspace.asRelativePath(document.uri)}): after writing the secret reference`, ...lines].join('\n');
    await vscode.env.clipboard.writeText(text);
    walkthroughDone('restart');
    void vscode.window.showInformationMessage(`Restart checklist for ${kind.profile.name} copied to the clipboard (${lines.length} steps).`);
    return text;
  }
}
