/** The core's offsets and findings in the protocol's terms (UTF-16 line/character positions, as the core counts). */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Diagnostic, DiagnosticSeverity, DiagnosticTag, Range, TextEdit } from 'vscode-languageserver/node';
import { codeInfo } from '../core/codes';
import { Finding, Severity, TextEdit as CoreEdit } from '../core/diagnostics';
import { LineIndex } from '../core/text/lineIndex';

export const DIAGNOSTIC_SOURCE = 'Encrypted Properties';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, start: number, end: number): Range {
  return { start: lines.positionAt(start), end: lines.positionAt(end) };
}

export function toTextEdits(edits: readonly CoreEdit[], lines: LineIndex): TextEdit[] {
  return edits.map((e) => ({ range: toRange(lines, e.start, e.end), newText: e.newText }));
}

/** The README shipped beside the server (dist/../README.md): its "Diagnostic codes" table has a row for each code. */
const README = pathToFileURL(path.resolve(__dirname, '..', 'README.md')).href;

/** Where a code is explained: its row in the README's table (an anchor per code), for the codes the table has. */
export function codeHref(code: string): string | undefined {
  return codeInfo(code) ? `${README}#${code}` : undefined;
}

export function toDiagnostic(
  finding: Pick<Finding, 'code' | 'severity' | 'message' | 'unnecessary' | 'related'>,
  range: Range,
  lines: LineIndex,
  uri: string,
): Diagnostic {
  const href = codeHref(finding.code);
  return {
    range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.code,
    message: finding.message,
    ...(href ? { codeDescription: { href } } : {}),
    ...(finding.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    ...(finding.related?.length
      ? { relatedInformation: finding.related.map((r) => ({ location: { uri, range: toRange(lines, r.start, r.end) }, message: r.message })) }
      : {}),
  };
}
