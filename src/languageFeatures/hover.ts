import * as vscode from 'vscode';
import { hoverAt } from '../core/language/hover';
import { referenceId } from '../core/engine/referenceId';
import { locate } from '../core/language/locate';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';
import { ResultStore } from '../verify/resultStore';
import { lastVerifyMarkdown } from '../core/language/lastVerify';
import { CallerIdentity } from '../core/verify/identity';

export function registerHover(
  cache: AnalysisCache,
  results: ResultStore,
  identityFor: (source: string | undefined) => CallerIdentity | undefined,
): vscode.Disposable {
  return vscode.languages.registerHoverProvider(PROPERTIES_SELECTOR, {
    provideHover(document, position) {
      const { analysis, lines } = cache.get(document);
      if (!analysis.relevant) return undefined;
      const offset = document.offsetAt(position);
      const info = hoverAt(analysis, offset);
      const place = locate(analysis, offset);
      const reference = place && (place.kind === 'payload' || place.kind === 'marker') ? place.reference : undefined;
      const last = reference
        ? results.get(document.uri, referenceId(analysis.references, reference), document.getText().slice(reference.entry.start, reference.entry.end))
        : undefined;
      if (!info && !last) return undefined;
      // The verdict of the last verify first (what to do), then what the hovered text means.
      const parts: vscode.MarkdownString[] = [];
      if (last)
        parts.push(new vscode.MarkdownString(lastVerifyMarkdown(last, last.store === 'aws' ? identityFor(last.credentialSource) : undefined, true), true));
      if (info) parts.push(new vscode.MarkdownString(info.markdown));
      const range = info ? toRange(lines, info.span.start, info.span.end) : toRange(lines, reference!.span.start, reference!.span.end);
      return new vscode.Hover(parts, range);
    },
  });
}
