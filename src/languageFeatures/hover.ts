import * as vscode from 'vscode';
import { hoverAt } from '../core/language/hover';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';

export function registerHover(cache: AnalysisCache): vscode.Disposable {
  return vscode.languages.registerHoverProvider(PROPERTIES_SELECTOR, {
    provideHover(document, position) {
      const { analysis, lines } = cache.get(document);
      if (!analysis.relevant) return undefined;
      const info = hoverAt(analysis, document.offsetAt(position));
      if (!info) return undefined;
      return new vscode.Hover(new vscode.MarkdownString(info.markdown), toRange(lines, info.span.start, info.span.end));
    },
  });
}
