/**
 * The language features, as in VS Code's markdown extension: each provider a thin adapter over a pure "computer" in
 * core/ (analysis, hover, completion, fixes), all on the one analysis cache.
 */
import * as vscode from 'vscode';
import { AnalysisCache } from '../documents/analysisCache';
import { ResultStore } from '../verify/resultStore';
import { VerifyController } from '../verify/verifyController';
import { registerVerifyCodeLens } from './codeLens';
import { registerCompletion } from './completion';
import { DiagnosticsManager } from './diagnosticsManager';
import { registerHover } from './hover';
import { registerQuickFixes } from './quickFixes';

export function registerLanguageFeatures(cache: AnalysisCache, results: ResultStore, verify: VerifyController): vscode.Disposable {
  return vscode.Disposable.from(
    new DiagnosticsManager(cache),
    registerQuickFixes(cache),
    registerHover(cache, results, (source) => verify.presentation.identityFor(source)),
    registerCompletion(cache, (region) => verify.listSecretNames(region)),
    registerVerifyCodeLens(cache, results),
  );
}
