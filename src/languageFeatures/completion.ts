import * as vscode from 'vscode';
import { CompletionEntry, completionsAt, secretIdSite, secretNameEntries } from '../core/language/completion';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';

const KIND: Record<CompletionEntry['kind'], vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  class: vscode.CompletionItemKind.Class,
  snippet: vscode.CompletionItemKind.Snippet,
  enum: vscode.CompletionItemKind.EnumMember,
};

/** `listNames` gives a region's secret names (the verify controller lists them at most once a minute, none on failure). */
export function registerCompletion(cache: AnalysisCache, listNames: (region: string) => Promise<{ name: string; description?: string }[]>): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    PROPERTIES_SELECTOR,
    {
      async provideCompletionItems(document, position) {
        const { analysis, lines } = cache.get(document);
        const text = document.getText();
        const offset = document.offsetAt(position);
        // In a secretId: the region's secret names (names only), from AWS, in a trusted workspace only.
        const site = vscode.workspace.isTrusted ? secretIdSite(analysis, offset) : undefined;
        const entries = site ? secretNameEntries(site, await listNames(site.region)) : completionsAt(analysis, text, offset);
        return entries.map((e) => {
          const item = new vscode.CompletionItem({ label: e.label, description: e.detail }, KIND[e.kind]);
          item.insertText = e.snippet ? new vscode.SnippetString(e.insertText) : e.insertText;
          item.range = toRange(lines, e.start, e.end);
          if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
          if (e.filterText) item.filterText = e.filterText;
          if (e.sortText) item.sortText = e.sortText;
          return item;
        });
      },
    },
    '"',
    '=',
    ':',
    '{',
  );
}
