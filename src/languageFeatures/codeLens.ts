import * as vscode from 'vscode';
import { canMoveToAws } from '../core/product/password';
import { errorsOf } from '../core/rules/analysis';
import { productContainerAt } from '../core/edits/containerPlan';
import { lensTitle } from '../core/verify/labels';
import { AnalysisCache } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';
import { Disposable } from '../util/dispose';
import { getSettings } from '../util/settings';
import { ResultStore } from '../verify/resultStore';
import { referenceIds } from '../core/engine/referenceId';
import { editorVerifiables } from '../verify/runner';

/**
 * "Verify secret" above each valid AWS reference. Lenses come from the cached analysis (cheap); nothing is sent
 * until the user clicks. After a run the lens shows the result until the line changes.
 */
export class VerifyCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly cache: AnalysisCache,
    private readonly results: ResultStore,
  ) {
    super();
    this.register(results.onDidChange(() => this.changed.fire()));
    this.register(results.onDidChangeRunning(() => this.changed.fire()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('encryptedProperties') && this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || !getSettings(document.uri).codeLensEnable) return [];
    const lenses: vscode.CodeLens[] = [];
    const { analysis, lines } = this.cache.get(document);
    for (const finding of analysis.findings) {
      if (!canMoveToAws(analysis.kind, finding)) continue;
      const at = lines.positionAt(finding.start);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(at.line, 0, at.line, 0), {
          title: '$(lock) Move to AWS Secrets Manager',
          tooltip: 'Create or pick a secret and replace this plaintext password with an {ENC} reference (backup first).',
          command: 'encryptedProperties.configureAwsSecret',
          // In a container file, the container whose password this is: the wizard does not ask again.
          arguments: [document.uri, productContainerAt(analysis.text, analysis.kind, finding.start)],
        }),
      );
    }
    for (const item of editorVerifiables(document, this.cache)) {
      const key = item.reference.key;
      const range = new vscode.Range(item.range.start, item.range.start);
      // The setting's offset too: a Compose file may set the same variable in several services.
      const args = [document.uri, key, item.reference.entry.start];
      const running = this.results.isRunning(document.uri, item.id);
      const result = this.results.get(document.uri, item.id, item.rawText);
      const title = running ? '$(sync~spin) Verifying…' : result ? lensTitle(result) : '$(shield) Verify secret';
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          tooltip: result ? `${result.message}\nClick to verify again.` : 'Resolve this secret through its store now (the value is never shown).',
          command: 'encryptedProperties.verifySecret',
          arguments: args,
        }),
      );
      if (result?.code === 'ok') {
        lenses.push(
          new vscode.CodeLens(range, {
            title: 'Copy value…',
            tooltip: 'Asks first; the clipboard is cleared after 60 seconds.',
            command: 'encryptedProperties.copySecretValue',
            arguments: args,
          }),
        );
      }
      if (result && (result.code === 'access-denied' || result.code === 'kms-denied')) {
        lenses.push(new vscode.CodeLens(range, { title: 'Copy IAM policy', command: 'encryptedProperties.copyIamPolicy', arguments: args }));
      }
    }
    // A reference with errors: no verify can run, and the lens says what stops it (a click selects the first problem).
    for (const reference of analysis.references) {
      if (reference.valid || reference.templated || (reference.store !== 'aws' && reference.store !== 'vault')) continue;
      const problems = errorsOf(analysis, reference);
      const first = problems[0];
      if (!first) continue;
      const at = lines.positionAt(reference.entry.start);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(at.line, at.character, at.line, at.character), {
          title: `$(error) Fix ${problems.length === 1 ? 'the problem' : `${problems.length} problems`} before verifying: ${first.code}`,
          tooltip: first.message,
          command: 'encryptedProperties.revealProblem',
          arguments: [document.uri, first.start, first.end],
        }),
      );
    }
    // A reference a template fills in: verified with values the user types (the result shows here the same way).
    const ids = referenceIds(analysis.references);
    for (const reference of analysis.references) {
      if (!reference.templated || !reference.valid || (reference.store !== 'aws' && reference.store !== 'vault')) continue;
      const at = lines.positionAt(reference.entry.start);
      const range = new vscode.Range(at.line, at.character, at.line, at.character);
      const rawText = analysis.text.slice(reference.entry.start, reference.entry.end);
      const id = ids.get(reference)!;
      const running = this.results.isRunning(document.uri, id);
      const result = this.results.get(document.uri, id, rawText);
      lenses.push(
        new vscode.CodeLens(range, {
          title: running ? '$(sync~spin) Verifying…' : result ? lensTitle(result) : '$(shield) Verify with values…',
          tooltip: 'A template fills in this reference: type the values it would get (kept for this session only) to resolve it now.',
          command: 'encryptedProperties.verifyTemplated',
          arguments: [document.uri, reference.key],
        }),
      );
    }
    return lenses;
  }
}

export function registerVerifyCodeLens(cache: AnalysisCache, results: ResultStore): vscode.Disposable {
  const provider = new VerifyCodeLensProvider(cache, results);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(PROPERTIES_SELECTOR, provider));
}
