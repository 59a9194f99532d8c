import * as vscode from 'vscode';
import * as path from 'path';
import { SecretReference } from '../core/bitbucket/analyze';
import { isAwsHost } from '../core/verify/labels';
import { withoutUserinfo } from '../core/text/terminal';
import { VerifyResult, iamPolicy } from '../core/verify/outcome';
import { partitionOfRegion } from '../core/regions/regions';
import { pool } from '../core/util/pool';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { Disposable } from '../util/dispose';
import { log } from '../util/log';
import { getSettings } from '../util/settings';
import { loadAws } from './loadAws';
import { ResultStore } from './resultStore';
import type { SecretsVerifier } from '../aws';
import { Prompts } from '../util/prompts';
import { verifyVault, vaultTokenFromEnvironment } from '../vault/vaultVerifier';

export interface VerifiableReference {
  readonly document: vscode.TextDocument;
  readonly reference: SecretReference;
  readonly rawText: string;
  readonly range: vscode.Range;
}

/** AWS references of a document that can be verified: valid, with a region and a secret id. */
export function verifiableReferences(document: vscode.TextDocument, cache: AnalysisCache): VerifiableReference[] {
  const { analysis, lines } = cache.get(document);
  const text = document.getText();
  return analysis.references
    .filter(
      (r) =>
        r.valid &&
        ((r.store === 'aws' && r.aws?.region && r.aws.secretId) || (r.store === 'vault' && r.vault?.mount && r.vault.path && r.vault.key && r.vault.endpoint)),
    )
    .map((reference) => ({
      document,
      reference,
      rawText: text.slice(reference.entry.start, reference.entry.end),
      range: toRange(lines, reference.entry.start, reference.entry.end),
    }));
}

const VERIFY_SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Verifies references on explicit request only: from a CodeLens, a command, or "Verify all". Results go to the
 * result store (lenses, hovers), to the Problems panel (verify-<code>), to the status bar and to the log. Never
 * the value: only the explicit "Copy value" reads it, after asking.
 */
export class VerifyController extends Disposable {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('encryptedProperties.verify'));
  private readonly statusItem = this.register(vscode.window.createStatusBarItem('encryptedProperties.credentials', vscode.StatusBarAlignment.Right, 100));
  private readonly approvedHosts = new Set<string>();

  constructor(
    private readonly cache: AnalysisCache,
    readonly results: ResultStore,
    private readonly state: vscode.Memento,
    private readonly prompts: Prompts,
    private readonly secrets?: vscode.SecretStorage,
  ) {
    super();
    this.statusItem.name = 'Encrypted Properties: AWS credentials';
    this.statusItem.command = 'encryptedProperties.selectAwsProfile';
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.refreshDiagnostics(e.document)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        this.results.delete(d.uri);
      }),
    );
    for (const host of this.state.get<string[]>('approvedEndpointHosts', [])) this.approvedHosts.add(host);
  }

  /** A verifier for one run, from the settings (profile, timeout, proxy), logging to the log channel. */
  newVerifier(): SecretsVerifier {
    const settings = getSettings();
    const { SecretsVerifier } = loadAws();
    return new SecretsVerifier({
      profile: settings.awsProfile,
      requestTimeoutMs: settings.requestTimeoutMs,
      timeoutHint: 'raise encryptedProperties.aws.requestTimeoutMs',
      imdsTimeoutMs: 1000,
      proxy: settings.proxy,
      log: (level, message) => log()[level](message),
    });
  }

  private checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(
        'Verifying secrets sends signed requests to AWS, so it is off in Restricted Mode. Trust this workspace to verify.',
        'Manage Workspace Trust',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return false;
  }

  /** An endpointOverride outside AWS's domains gets signed requests only after the user agrees, once per host. */
  private async endpointAllowed(endpoint: string | undefined): Promise<boolean> {
    if (!endpoint) return true;
    let host: string;
    try {
      host = new URL(endpoint).host;
    } catch {
      return false;
    }
    if (isAwsHost(new URL(endpoint).hostname) || this.approvedHosts.has(host) || getSettings().allowedEndpointHosts.includes(host)) return true;
    const allowed = await this.prompts.confirm(
      `This reference's endpointOverride points at ${host}, which is not an AWS domain. Send requests signed with your AWS credentials there?`,
      'The signature does not reveal your secret key, but the host learns your access key id and which secret you read. Allow only hosts you run or trust (a VPC endpoint, a local test server).',
      'Send Requests',
    );
    if (!allowed) return false;
    this.approvedHosts.add(host);
    await this.state.update('approvedEndpointHosts', [...this.approvedHosts]);
    return true;
  }

  /** A Vault token: the product's environment variable, else one the user entered before (SecretStorage), else ask. */
  private async vaultToken(endpoint: string): Promise<string | undefined> {
    const fromEnv = vaultTokenFromEnvironment();
    if (fromEnv) return fromEnv;
    const key = `vault-token:${new URL(endpoint).host}`;
    const stored = await this.secrets?.get(key);
    if (stored) return stored;
    const entered = await this.prompts.secret(`Vault token for ${new URL(endpoint).host} (kept in VS Code's secret storage, never in settings)`);
    if (entered) await this.secrets?.store(key, entered);
    return entered || undefined;
  }

  private async verifyVaultOne(item: VerifiableReference, signal?: AbortSignal): Promise<VerifyResult> {
    const vault = item.reference.vault!;
    const checkedAt = new Date().toISOString();
    if (!(await this.endpointAllowed(vault.endpoint))) {
      return {
        store: 'vault',
        code: 'endpoint-declined',
        message: `Not verified: sending a Vault token to ${withoutUserinfo(vault.endpoint!)} was not allowed.`,
        region: withoutUserinfo(vault.endpoint!),
        secretId: `${vault.mount}/${vault.path}`,
        secretPointer: vault.key,
        checkedAt,
      };
    }
    const token = vault.authenticationType === 'KUBERNETES' ? undefined : await this.vaultToken(vault.endpoint!);
    return verifyVault({
      mount: vault.mount!,
      path: vault.path!,
      key: vault.key!,
      endpoint: vault.endpoint!,
      authenticationType: vault.authenticationType,
      token,
      timeoutMs: getSettings().requestTimeoutMs,
      timeoutHint: 'Raise encryptedProperties.aws.requestTimeoutMs.',
      signal,
      log: (level, message) => log()[level](message),
    });
  }

  private async verifyOne(item: VerifiableReference, verifier: SecretsVerifier, signal?: AbortSignal): Promise<VerifyResult> {
    const { reference, document, rawText } = item;
    this.results.setRunning(document.uri, reference.key, true);
    if (reference.store === 'vault') {
      try {
        const result = await this.verifyVaultOne(item, signal);
        if (result.code !== 'cancelled') this.results.set(document.uri, reference.key, rawText, result);
        return result;
      } finally {
        this.results.setRunning(document.uri, reference.key, false);
        this.refreshDiagnostics(document);
      }
    }
    const aws = reference.aws!;
    try {
      let result: VerifyResult;
      if (!(await this.endpointAllowed(aws.endpointOverride))) {
        result = {
          code: 'endpoint-declined',
          message: `Not verified: requests to ${withoutUserinfo(aws.endpointOverride!)} were not allowed.`,
          region: aws.region!,
          secretId: aws.secretId!,
          secretPointer: aws.secretPointer,
          checkedAt: new Date().toISOString(),
        };
      } else {
        result = await verifier.verify({
          region: aws.region!,
          secretId: aws.secretId!,
          secretPointer: aws.secretPointer,
          endpointOverride: aws.endpointOverride,
          signal,
        });
      }
      if (result.code !== 'cancelled') this.results.set(document.uri, reference.key, rawText, result);
      return result;
    } finally {
      this.results.setRunning(document.uri, reference.key, false);
      this.refreshDiagnostics(document);
    }
  }

  private showSource(result: VerifyResult): void {
    if (!result.credentialSource) return;
    this.statusItem.text = `$(key) AWS: ${result.credentialSource}`;
    this.statusItem.tooltip = new vscode.MarkdownString(
      `**Encrypted Properties** verified with credentials from **${result.credentialSource}**.\n\nClick to pick another AWS profile.`,
    );
    this.statusItem.show();
  }

  /** Verifies one reference (CodeLens, command) and reports the result. */
  async verifyReference(document: vscode.TextDocument, key: string): Promise<VerifyResult | undefined> {
    if (!this.checkTrust()) return undefined;
    const item = verifiableReferences(document, this.cache).find((r) => r.reference.key === key);
    if (!item) {
      void vscode.window.showWarningMessage(
        `No valid AWS Secrets Manager reference for "${key}" in ${path.basename(document.uri.fsPath)}: fix its problems first.`,
      );
      return undefined;
    }
    const verifier = this.newVerifier();
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Verifying ${item.reference.aws?.secretId ?? `${item.reference.vault?.mount}/${item.reference.vault?.path}`}…`,
          cancellable: true,
        },
        async (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return this.verifyOne(item, verifier, controller.signal);
        },
      );
      this.showSource(result);
      void this.notify(result, document, key);
      return result;
    } finally {
      verifier.dispose();
    }
  }

  /** Verifies every AWS reference of the documents, with bounded concurrency, progress and cancellation. */
  async verifyAll(documents: readonly vscode.TextDocument[]): Promise<VerifyResult[]> {
    if (!this.checkTrust()) return [];
    const items = documents.flatMap((d) => verifiableReferences(d, this.cache));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No valid AWS Secrets Manager references to verify.');
      return [];
    }
    const verifier = this.newVerifier();
    const results: VerifyResult[] = [];
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Verifying secrets', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          let done = 0;
          await pool(
            items,
            getSettings().verifyConcurrency,
            async (item) => {
              const r = await this.verifyOne(item, verifier, controller.signal);
              results.push(r);
              done++;
              progress.report({ increment: 100 / items.length, message: `${done}/${items.length}` });
            },
            () => token.isCancellationRequested,
          );
        },
      );
    } finally {
      verifier.dispose();
    }
    const last = results.find((r) => r.credentialSource);
    if (last) this.showSource(last);
    const failed = results.filter((r) => r.code !== 'ok' && r.code !== 'cancelled').length;
    const cancelled = results.length < items.length || results.some((r) => r.code === 'cancelled');
    const summary = `${results.filter((r) => r.code === 'ok').length} of ${items.length} secret(s) resolved${failed ? `, ${failed} failed (see the Problems panel)` : ''}${cancelled ? ', cancelled' : ''}.`;
    if (failed)
      void vscode.window.showWarningMessage(summary, 'Show Problems').then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
    else void vscode.window.showInformationMessage(summary);
    return results;
  }

  private async notify(result: VerifyResult, document: vscode.TextDocument, key: string): Promise<void> {
    if (result.code === 'cancelled') return;
    if (result.code === 'vault-kubernetes-auth') {
      void vscode.window.showInformationMessage(result.message);
      return;
    }
    if (result.code === 'ok') {
      const extra = result.notes?.find((n) => n.severity === 'warning');
      void vscode.window.showInformationMessage(`${result.secretId}: ${result.message}${extra ? `. ${extra.message}` : ''}`);
      return;
    }
    const actions: string[] = [];
    if (result.code === 'access-denied' || result.code === 'kms-denied') actions.push('Copy IAM Policy');
    if (result.code === 'expired-credentials' || result.code === 'no-credentials') actions.push('Run aws sso login', 'Pick AWS Profile');
    if (result.code === 'timeout') actions.push('Open Settings');
    actions.push('Show Log');
    const choice = await vscode.window.showErrorMessage(`${result.secretId}: ${result.message}`, ...actions);
    if (choice === 'Copy IAM Policy') await vscode.commands.executeCommand('encryptedProperties.copyIamPolicy', document.uri, key);
    if (choice === 'Run aws sso login') {
      const profile = getSettings().awsProfile;
      const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
      terminal.show();
      terminal.sendText(`aws sso login${profile ? ` --profile ${profile}` : ''}`);
    }
    if (choice === 'Pick AWS Profile') await vscode.commands.executeCommand('encryptedProperties.selectAwsProfile');
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'encryptedProperties.aws');
    if (choice === 'Show Log') log().show(true);
  }

  /** The least-privilege policy for the reference, using the ARN and KMS key from the last verify when known. */
  policyFor(document: vscode.TextDocument, key: string): string | undefined {
    const item = verifiableReferences(document, this.cache).find((r) => r.reference.key === key && r.reference.store === 'aws');
    if (!item) return undefined;
    const aws = item.reference.aws!;
    const last = this.results.get(document.uri, key, item.rawText);
    return iamPolicy({
      region: aws.region!,
      secretId: aws.secretId!,
      arn: last?.metadata?.arn,
      kmsKeyId: last?.metadata?.kmsKeyId,
      partition: partitionOfRegion(aws.region!)?.id,
    });
  }

  /** "Copy value": asks first (modal), copies, and clears the clipboard after 60 s if it still holds the value. */
  async copyValue(document: vscode.TextDocument, key: string, clearAfterMs = 60_000): Promise<boolean> {
    if (!this.checkTrust()) return false;
    const item = verifiableReferences(document, this.cache).find((r) => r.reference.key === key && r.reference.store === 'aws');
    if (!item) return false;
    const confirmed = await this.prompts.confirm(
      `Copy the secret value of ${item.reference.aws!.secretId} to the clipboard?`,
      `Anything that can read your clipboard can read it. It is cleared after ${Math.round(clearAfterMs / 1000)} seconds if still there.`,
      'Copy to Clipboard',
    );
    if (!confirmed) return false;
    if (!(await this.endpointAllowed(item.reference.aws!.endpointOverride))) return false;
    const verifier = this.newVerifier();
    try {
      const aws = item.reference.aws!;
      const result = await verifier.verify({
        region: aws.region!,
        secretId: aws.secretId!,
        secretPointer: aws.secretPointer,
        endpointOverride: aws.endpointOverride,
        describe: false,
      });
      this.results.set(document.uri, key, item.rawText, result);
      const value = (result as { value?: string }).value;
      if (result.code !== 'ok' || value === undefined) {
        void vscode.window.showErrorMessage(`${aws.secretId}: ${result.message}`);
        return false;
      }
      await vscode.env.clipboard.writeText(value);
      log().info(`${aws.secretId}: value copied to the clipboard (cleared in ${Math.round(clearAfterMs / 1000)} s)`);
      setTimeout(() => {
        void vscode.env.clipboard.readText().then((current) => {
          if (current === value) void vscode.env.clipboard.writeText('');
        });
      }, clearAfterMs);
      void vscode.window.setStatusBarMessage(`$(check) Secret value copied; clipboard clears in ${Math.round(clearAfterMs / 1000)} s`, 5000);
      return true;
    } finally {
      verifier.dispose();
    }
  }

  /** verify-<code> diagnostics for results that still match the text, plus notes (rotation, KMS key). */
  refreshDiagnostics(document: vscode.TextDocument): void {
    if (this.isDisposed) return;
    const stored = this.results.all(document.uri);
    if (stored.size === 0) {
      this.diagnostics.delete(document.uri);
      return;
    }
    const diagnostics: vscode.Diagnostic[] = [];
    for (const item of verifiableReferences(document, this.cache)) {
      const result = this.results.get(document.uri, item.reference.key, item.rawText);
      if (!result) continue;
      const { lines } = this.cache.get(document);
      const range = toRange(lines, item.reference.span.start, item.reference.span.end);
      if (result.code !== 'ok' && result.code !== 'cancelled') {
        const d = new vscode.Diagnostic(
          range,
          `${result.message} (verified ${new Date(result.checkedAt).toLocaleTimeString()})`,
          vscode.DiagnosticSeverity.Error,
        );
        d.source = 'Encrypted Properties';
        d.code = `verify-${result.code}`;
        diagnostics.push(d);
      }
      for (const note of result.notes ?? []) {
        const d = new vscode.Diagnostic(range, note.message, VERIFY_SEVERITY[note.severity]);
        d.source = 'Encrypted Properties';
        d.code = note.severity === 'warning' ? 'verify-rotation-enabled' : note.severity === 'error' ? 'verify-marked-for-deletion' : 'verify-customer-kms-key';
        diagnostics.push(d);
      }
    }
    this.diagnostics.set(document.uri, diagnostics);
  }
}
