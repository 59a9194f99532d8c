import * as vscode from 'vscode';
import { canMoveToAws } from '../core/product/password';
import { productContainerAt } from '../core/edits/containerPlan';
import { Finding, Fix } from '../core/diagnostics';
import { LineIndex } from '../core/text/lineIndex';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';
import { DIAGNOSTIC_SOURCE } from './convertDiagnostics';
import { memberEdit } from '../core/edits/memberEdit';
import { awsOf } from '../core/rules/analysis';
import { FIX_ALL_TITLE, fixAllEdits } from '../core/language/fixAll';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('encryptedProperties');

function toWorkspaceEdit(uri: vscode.Uri, fix: Fix, lines: LineIndex): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toRange(lines, e.start, e.end), e.newText);
  return edit;
}

function sameRange(finding: Finding, diagnostic: vscode.Diagnostic, lines: LineIndex): boolean {
  return toRange(lines, finding.start, finding.end).isEqual(diagnostic.range);
}

/** Quick fixes linked to our diagnostics, and a `source.fixAll` that applies every preferred, non-overlapping fix. */
export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly cache: AnalysisCache) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const { analysis, lines } = this.cache.get(document);
    const actions: vscode.CodeAction[] = [];
    const wantsFixAll = context.only && (FIX_ALL_KIND.contains(context.only) || context.only.contains(FIX_ALL_KIND));
    if (wantsFixAll) {
      const fixAll = this.fixAll(document, analysis.findings, lines);
      if (fixAll) actions.push(fixAll);
      return actions;
    }
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      if (typeof diagnostic.code === 'string' && canMoveToAws(analysis.kind, { code: diagnostic.code }) && !document.isUntitled) {
        const action = new vscode.CodeAction('Move the password to AWS Secrets Manager…', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        const service = productContainerAt(analysis.text, analysis.kind, document.offsetAt(diagnostic.range.start));
        action.command = { title: 'Move to AWS Secrets Manager', command: 'encryptedProperties.configureAwsSecret', arguments: [document.uri, service] };
        actions.push(action);
      }
      // A verify outcome whose fix is in the file: a pointer into a secret that is not key/value JSON.
      if (diagnostic.code === 'verify-not-json') {
        const reference = analysis.references.find((r) => r.store === 'aws' && toRange(lines, r.span.start, r.span.end).isEqual(diagnostic.range));
        const edits = reference && memberEdit(reference, analysis.kind.format, 'secretPointer', undefined);
        if (edits) {
          const action = new vscode.CodeAction('Remove secretPointer: read the whole (plaintext) secret', vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          action.edit = toWorkspaceEdit(document.uri, { title: action.title, edits }, lines);
          actions.push(action);
        }
      }
      // Fixes that need the secret itself: a key to pick, or the region where a secret of this name exists.
      if (diagnostic.code === 'verify-pointer-missing' || diagnostic.code === 'verify-not-found') {
        const reference = analysis.references.find((r) => r.store === 'aws' && toRange(lines, r.span.start, r.span.end).isEqual(diagnostic.range));
        const aws = reference && awsOf(reference);
        if (reference && aws && diagnostic.code === 'verify-pointer-missing') {
          const action = new vscode.CodeAction("Pick one of the secret's keys…", vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          action.command = {
            title: action.title,
            command: 'encryptedProperties.pickSecretKey',
            arguments: [document.uri, reference.key, reference.entry.start],
          };
          actions.push(action);
        }
        if (reference && aws?.secretId && !aws.secretId.startsWith('arn:') && !aws.endpointOverride && diagnostic.code === 'verify-not-found') {
          const action = new vscode.CodeAction(`Find "${aws.secretId}" in the other regions…`, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.command = {
            title: action.title,
            command: 'encryptedProperties.findSecretRegion',
            arguments: [document.uri, reference.key, reference.entry.start],
          };
          actions.push(action);
        }
      }
      const finding = analysis.findings.find((f) => f.code === diagnostic.code && sameRange(f, diagnostic, lines));
      for (const fix of finding?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred === true;
        action.edit = toWorkspaceEdit(document.uri, fix, lines);
        actions.push(action);
      }
    }
    return actions;
  }

  private fixAll(document: vscode.TextDocument, findings: readonly Finding[], lines: LineIndex): vscode.CodeAction | undefined {
    const edits = fixAllEdits(findings);
    if (edits.length === 0) return undefined;
    const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
    action.edit = toWorkspaceEdit(document.uri, { title: FIX_ALL_TITLE, edits }, lines);
    return action;
  }
}

export function registerQuickFixes(cache: AnalysisCache): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(PROPERTIES_SELECTOR, new QuickFixProvider(cache), QuickFixProvider.metadata);
}
