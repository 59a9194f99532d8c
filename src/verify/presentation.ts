import * as vscode from 'vscode';
import { CREDENTIAL_PROBLEMS, outcomeName, VerifyOutcome } from '../core/verify/outcome';
import { verifySummary } from '../core/verify/labels';
import { outcomeProblems } from '../core/verify/outcomeProblems';
import { Severity } from '../core/diagnostics';
import { CallerIdentity, identityLabel, Preflight } from '../core/verify/identity';
import { AnalysisCache } from '../documents/analysisCache';
import { Disposable } from '../util/dispose';
import { log } from '../util/log';
import { getSettings } from '../util/settings';
import { ResultStore } from './resultStore';
import { editorVerifiables } from './runner';
import { fileKindOf } from '../documents/selector';
import { credentialActions } from './ssoLogin';
import { awsConfigFiles, ssoCacheFolder } from '../files/awsConfig';
import * as path from 'path';

const FIND_REGION = 'Find in Other Regions…';
const PICK_KEY = "Pick One of the Secret's Keys…";

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Where verify outcomes show, besides the lenses and hovers: the Problems panel (verify-<code> and the notes), the
 * credential source in the status bar, and notifications with the next step. Outcomes only: never a value.
 */
export class VerifyPresentation extends Disposable {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('encryptedProperties.verify'));
  private readonly statusItem = this.register(vscode.window.createStatusBarItem('encryptedProperties.credentials', vscode.StatusBarAlignment.Right, 100));

  constructor(
    private readonly cache: AnalysisCache,
    private readonly results: ResultStore,
  ) {
    super();
    this.statusItem.name = 'Encrypted Properties: AWS credentials';
    this.statusItem.command = 'encryptedProperties.selectAwsProfile';
    this.register(results.onDidChange((uri) => this.refreshUri(uri)));
    // The credential item: visible in product files from the start, true after a profile change.
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.refreshStatus()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('encryptedProperties.aws.profile')) return;
        this.credentials = undefined;
        // Results got with the other profile's credentials say nothing about these: they go (verify again to see).
        this.results.forgetAwsResults();
        this.refreshStatus();
      }),
    );
    // The shared files (aws configure, an edited profile): the same. A new SSO token (aws sso login; the SDK also
    // rewrites the cache when it refreshes one) only ends what said the credentials were missing or expired.
    const files = awsConfigFiles();
    for (const file of [files.config, files.credentials]) this.watch(path.dirname(file), path.basename(file), () => this.credentialsChanged(true));
    this.watch(ssoCacheFolder(), '*.json', () => this.credentialsChanged(false));
    this.refreshStatus();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.refreshDiagnostics(e.document)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        this.results.delete(d.uri);
      }),
    );
  }

  /** What the last AWS verify or preflight said about the credentials; undefined until one ran with the current profile. */
  private credentials: { readonly source?: string; readonly identity?: CallerIdentity; readonly problem?: string } | undefined;

  private watch(folder: string, pattern: string, changed: () => void): void {
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), pattern)));
    this.register(watcher.onDidChange(changed));
    this.register(watcher.onDidCreate(changed));
    this.register(watcher.onDidDelete(changed));
  }

  /** The credentials may be others now: every AWS result goes (`all`), or those that said there were none. */
  private credentialsChanged(all: boolean): void {
    if (this.isDisposed) return;
    if (!all && !this.credentials?.problem) return;
    log().info(all ? 'the shared AWS files changed: AWS results are cleared' : 'a new SSO token: the missing-credentials results are cleared');
    this.credentials = undefined;
    this.results.forgetAwsResults(all ? undefined : (outcome) => CREDENTIAL_PROBLEMS.has(outcome.code));
    this.refreshStatus();
  }

  /** The caller identity STS reported for this credential source (the hover shows it beside the source). */
  identityFor(source: string | undefined): CallerIdentity | undefined {
    return source !== undefined && this.credentials?.source === source ? this.credentials.identity : undefined;
  }

  /** Whether the identity of this source is still unknown (the controller then asks STS once). */
  needsIdentity(source: string | undefined): boolean {
    return source !== undefined && this.identityFor(source) === undefined;
  }

  /** What the wizard's preflight (or the identity lookup after a verify) found. */
  showPreflight(preflight: Preflight): void {
    this.credentials = preflight.ok ? { source: preflight.source, identity: preflight.identity } : { problem: preflight.message };
    this.refreshStatus();
  }
  private statusVisible = false;

  /** What the status bar says (for tests and the canary check). */
  get statusText(): string {
    return this.statusItem.text;
  }

  /** The credential item's state, for tests: its text, whether it shows, whether it warns. */
  get status(): { readonly text: string; readonly visible: boolean; readonly warning: boolean } {
    return { text: this.statusItem.text, visible: this.statusVisible, warning: this.statusItem.backgroundColor !== undefined };
  }

  private refreshStatus(): void {
    if (this.isDisposed) return;
    const profile = getSettings().awsProfile;
    const chain = profile ? `profile ${profile}` : 'default chain';
    const item = this.statusItem;
    if (this.credentials?.problem) {
      item.text = `$(warning) AWS: no credentials (${chain})`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      item.tooltip = new vscode.MarkdownString(`**Encrypted Properties** could not verify: ${this.credentials.problem}\n\nClick to pick another AWS profile.`);
    } else if (this.credentials?.source) {
      const { source, identity } = this.credentials;
      item.text = identity ? `$(key) AWS: ${identityLabel(identity.arn)} (${source})` : `$(key) AWS: ${source}`;
      item.backgroundColor = undefined;
      item.tooltip = new vscode.MarkdownString(
        `**Encrypted Properties** verifies with credentials from **${source}**` +
          (identity ? ` as \`${identity.arn}\`. On the server, the product uses its own chain: check that this is the role it runs as.` : '.') +
          '\n\nClick to pick another AWS profile.',
      );
    } else {
      item.text = `$(key) AWS: ${chain}`;
      item.backgroundColor = undefined;
      item.tooltip = new vscode.MarkdownString(
        `**Encrypted Properties** verifies with the AWS ${profile ? `profile **${profile}**` : 'default credential chain (as the product does)'}; nothing is sent until you verify.\n\nClick to pick another AWS profile.`,
      );
    }
    const document = vscode.window.activeTextEditor?.document;
    const show = document !== undefined && fileKindOf(document) !== undefined;
    if (show) item.show();
    else item.hide();
    this.statusVisible = show;
  }

  private refreshUri(uri: vscode.Uri): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document) this.refreshDiagnostics(document);
  }

  /** The credentials the last AWS outcomes used (their source), or why there were none. */
  showSource(outcomes: readonly VerifyOutcome[]): void {
    const aws = outcomes.filter((o) => o.store === 'aws');
    const source = aws.map((o) => o.credentialSource).find((s) => s !== undefined);
    const problem = aws.find((o) => CREDENTIAL_PROBLEMS.has(o.code));
    if (source) this.credentials = { source, identity: this.identityFor(source) };
    else if (problem) this.credentials = { problem: problem.message };
    else return;
    this.refreshStatus();
  }

  /** The outcome of one verify, with the actions that fix it. */
  async notify(outcome: VerifyOutcome, document: vscode.TextDocument, key: string): Promise<void> {
    if (outcome.code === 'cancelled') return;
    const name = outcomeName(outcome);
    if (outcome.code === 'vault-kubernetes-auth') {
      void vscode.window.showInformationMessage(outcome.message);
      return;
    }
    if (outcome.code === 'ok') {
      const extra = outcome.notes?.find((n) => n.severity === 'warning');
      void vscode.window.showInformationMessage(`${name}: ${outcome.message}${extra ? `. ${extra.message}` : ''}`);
      return;
    }
    const actions: string[] = [];
    if (outcome.code === 'access-denied' || outcome.code === 'kms-denied') actions.push('Copy IAM Policy');
    const credentials = outcome.code === 'expired-credentials' || outcome.code === 'no-credentials' ? credentialActions() : undefined;
    actions.push(...(credentials?.labels ?? []));
    if (outcome.code === 'timeout') actions.push('Open Settings');
    // The fixes the editor has for this outcome, where the user is (the same as the quick fixes in Problems).
    if (outcome.code === 'not-found' && outcome.store === 'aws' && !outcome.secretId.startsWith('arn:')) actions.push(FIND_REGION);
    if (outcome.code === 'pointer-missing') actions.push(PICK_KEY);
    actions.push('Show Log');
    const choice = await vscode.window.showErrorMessage(`${name}: ${outcome.message}`, ...actions);
    if (choice === 'Copy IAM Policy') await vscode.commands.executeCommand('encryptedProperties.copyIamPolicy', document.uri, key);
    await credentials?.run(choice);
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'encryptedProperties.aws');
    if (choice === FIND_REGION) await vscode.commands.executeCommand('encryptedProperties.findSecretRegion', document.uri, key);
    if (choice === PICK_KEY) await vscode.commands.executeCommand('encryptedProperties.pickSecretKey', document.uri, key);
    if (choice === 'Show Log') log().show(true);
  }

  /**
   * The summary of Verify all, naming what it did not try: references with errors (fix them first) and references a
   * template fills in (verify them with typed values).
   */
  summarize(outcomes: readonly VerifyOutcome[], total: number, skipped: readonly { key: string; why: 'errors' | 'templated' }[] = []): void {
    this.showSource(outcomes);
    const { summary, failed, withErrors } = verifySummary(outcomes, total, skipped);
    if (failed || withErrors)
      void vscode.window.showWarningMessage(summary, 'Show Problems').then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
    else void vscode.window.showInformationMessage(summary);
  }

  /**
   * verify-<code> diagnostics for outcomes that still match the text, plus notes (rotation, KMS key). While the
   * document is as it was verified, the stored ranges serve; after an edit, the analysis says which still match.
   */
  refreshDiagnostics(document: vscode.TextDocument): void {
    if (this.isDisposed) return;
    const stored = this.results.all(document.uri);
    if (stored.size === 0) {
      this.diagnostics.delete(document.uri);
      return;
    }
    const current = [...stored.values()].every((s) => s.version === document.version)
      ? [...stored.values()].filter((s) => !s.typed).map((s) => ({ outcome: s.outcome, range: s.range }))
      : editorVerifiables(document, this.cache).flatMap((item) => {
          const outcome = this.results.get(document.uri, item.id, item.rawText);
          return outcome ? [{ outcome, range: item.valueRange }] : [];
        });
    const diagnostics: vscode.Diagnostic[] = [];
    for (const { outcome, range } of current) {
      for (const finding of outcomeProblems(outcome, new Date(outcome.checkedAt).toLocaleTimeString())) {
        const d = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
        d.source = 'Encrypted Properties';
        d.code = finding.code;
        diagnostics.push(d);
      }
    }
    this.diagnostics.set(document.uri, diagnostics);
  }
}
