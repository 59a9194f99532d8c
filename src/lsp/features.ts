/**
 * The language features in the protocol's terms, from the same core functions as the VS Code providers: hover
 * (core/language/hover, lastVerify), completion (core/language/completion), quick fixes (the findings' own fixes,
 * core/edits/memberEdit) and fix-all (core/language/fixAll), and the Verify lenses (core/verify/labels).
 */
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  Hover,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver/node';
import { CompletionEntry, completionsAt, secretIdSite, secretNameEntries } from '../core/language/completion';
import { FIX_ALL_TITLE, fixAllEdits } from '../core/language/fixAll';
import { hoverAt } from '../core/language/hover';
import { lastVerifyMarkdown } from '../core/language/lastVerify';
import { locate } from '../core/language/locate';
import { memberEdit } from '../core/edits/memberEdit';
import { lensTitle } from '../core/verify/labels';
import { VerifyOutcome } from '../core/verify/outcome';
import { Analyzed } from './documents';
import { DIAGNOSTIC_SOURCE, toRange, toTextEdits } from './convert';
import { Identified } from './verify';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.encryptedProperties`;
export const VERIFY_COMMAND = 'encryptedProperties.verifySecret';
export const VERIFY_FILE_COMMAND = 'encryptedProperties.verifyFile';

const KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  class: CompletionItemKind.Class,
  snippet: CompletionItemKind.Snippet,
  enum: CompletionItemKind.EnumMember,
};

export function hover(
  analyzed: Analyzed,
  offset: number,
  lastOutcome: (id: Identified) => VerifyOutcome | undefined,
  items: readonly Identified[],
): Hover | null {
  const { analysis, lines } = analyzed;
  if (!analysis.relevant) return null;
  const info = hoverAt(analysis, offset);
  const place = locate(analysis, offset);
  const reference = place && (place.kind === 'payload' || place.kind === 'marker') ? place.reference : undefined;
  const item = reference && items.find((i) => i.reference === reference);
  const last = item && lastOutcome(item);
  if (!info && !last) return null;
  const parts = [...(last ? [lastVerifyMarkdown(last, undefined, false)] : []), ...(info ? [info.markdown] : [])];
  const span = info?.span ?? reference!.span;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: toRange(lines, span.start, span.end) };
}

/**
 * Completion items at an offset; in a `secretId` with a known region, the region's secret names when `listNames`
 * is given (verify is enabled: listing is a request to AWS like a verify).
 */
export async function completion(
  analyzed: Analyzed,
  offset: number,
  listNames?: (region: string) => Promise<{ name: string; description?: string }[]>,
): Promise<CompletionItem[]> {
  const { analysis, lines } = analyzed;
  const site = listNames ? secretIdSite(analysis, offset) : undefined;
  const entries = site && listNames ? secretNameEntries(site, await listNames(site.region)) : completionsAt(analysis, analysis.text, offset);
  return entries.map((e) => ({
    label: e.label,
    kind: KIND[e.kind],
    ...(e.detail ? { detail: e.detail, labelDetails: { description: e.detail } } : {}),
    ...(e.documentation ? { documentation: { kind: MarkupKind.Markdown, value: e.documentation } } : {}),
    ...(e.filterText ? { filterText: e.filterText } : {}),
    ...(e.sortText ? { sortText: e.sortText } : {}),
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: toRange(lines, e.start, e.end), newText: e.insertText },
  }));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function wantsFixAll(only: readonly string[] | undefined): boolean {
  return only?.some((kind) => FIX_ALL_KIND === kind || FIX_ALL_KIND.startsWith(`${kind}.`)) ?? false;
}

export function codeActions(analyzed: Analyzed, params: CodeActionParams): CodeAction[] {
  const { analysis, lines } = analyzed;
  const uri = params.textDocument.uri;
  if (wantsFixAll(params.context.only)) {
    const edits = fixAllEdits(analysis.findings);
    return edits.length ? [{ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: { changes: { [uri]: toTextEdits(edits, lines) } } }] : [];
  }
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    // A verify outcome whose fix is in the file: a pointer into a secret that is not key/value JSON.
    if (diagnostic.code === 'verify-not-json') {
      const reference = analysis.references.find((r) => r.store === 'aws' && sameRange(toRange(lines, r.span.start, r.span.end), diagnostic.range));
      const edits = reference && memberEdit(reference, analysis.kind.format, 'secretPointer', undefined);
      if (edits) {
        const title = 'Remove secretPointer: read the whole (plaintext) secret';
        actions.push({
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: { changes: { [uri]: toTextEdits(edits, lines) } },
        });
      }
    }
    const finding = analysis.findings.find((f) => f.code === diagnostic.code && sameRange(toRange(lines, f.start, f.end), diagnostic.range));
    for (const fix of finding?.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred === true,
        edit: { changes: { [uri]: toTextEdits(fix.edits, lines) } },
      });
    }
  }
  return actions;
}

/** VS Code's `$(icon)` syntax, which other editors would show literally. */
function withoutIcons(title: string): string {
  return title.replace(/\$\([a-z0-9~-]+\)\s*/g, '');
}

/** "Verify secret" above each reference that can be resolved, or its last result; nothing when verify is off. */
export function codeLenses(
  analyzed: Analyzed,
  uri: string,
  items: readonly Identified[],
  lastOutcome: (id: Identified) => VerifyOutcome | undefined,
): CodeLens[] {
  return items.map((item) => {
    const at = analyzed.lines.positionAt(item.reference.entry.start);
    const last = lastOutcome(item);
    return {
      range: { start: at, end: at },
      command: { title: last ? withoutIcons(lensTitle(last)) : 'Verify secret', command: VERIFY_COMMAND, arguments: [uri, item.reference.entry.start] },
    };
  });
}
