import * as vscode from 'vscode';
import { CompletionEntry, completionsAt } from '../core/language/completion';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';

const KIND: Record<CompletionEntry['kind'], vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  class: vscode.CompletionItemKind.Class,
  snippet: vscode.CompletionItemKind.Snippet,
  enum: vscode.CompletionItemKind.EnumMember,
};

export function registerCompletion(cache: AnalysisCache): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    PROPERTIES_SELECTOR,
    {
      provideCompletionItems(document, position) {
        const { analysis, lines } = cache.get(document);
        const text = document.getText();
        return completionsAt(analysis, text, document.offsetAt(position)).map((e) => {
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
