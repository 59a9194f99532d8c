import * as vscode from 'vscode';
import { hoverAt } from '../core/language/hover';
import { referenceId } from '../core/engine/referenceId';
import { locate } from '../core/language/locate';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { PROPERTIES_SELECTOR } from '../documents/selector';
import { ResultStore } from '../verify/resultStore';
import { VerifyOutcome } from '../core/verify/outcome';
import { CallerIdentity } from '../core/verify/identity';

/** The last verify result's metadata, as Markdown (never the value). */
export function metadataMarkdown(result: VerifyOutcome, identity?: CallerIdentity): string {
  const rows: Array<[string, string | undefined]> = [['Result', result.message]];
  if (result.store === 'aws') {
    const m = result.metadata ?? {};
    rows.push(
      ['ARN', m.arn],
      ['Version', m.versionId],
      ['Stages', m.versionStages?.join(', ')],
      ['Last changed', m.lastChangedDate],
      ['Rotation', m.rotationEnabled === undefined ? undefined : m.rotationEnabled ? 'enabled (not supported by the product)' : 'off'],
      ['KMS key', m.kmsKeyId ?? (m.arn ? 'aws/secretsmanager (AWS managed)' : undefined)],
      ['Credentials', result.credentialSource],
      ['Identity', identity?.arn],
      ['Request id', result.requestId],
    );
  } else {
    rows.push(['Vault', result.endpoint], ['Version', result.version?.toString()], ['Created', result.createdTime]);
  }
  rows.push(['Checked', new Date(result.checkedAt).toLocaleString()]);
  const table = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`);
  return [
    '**Last verify**',
    '',
    '| | |',
    '|---|---|',
    ...table,
    ...(result.notes ?? []).map((n) => `\n$(${n.severity === 'info' ? 'info' : 'warning'}) ${n.message}`),
  ].join('\n');
}

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
      const parts: vscode.MarkdownString[] = [];
      if (info) parts.push(new vscode.MarkdownString(info.markdown));
      if (last) parts.push(new vscode.MarkdownString(metadataMarkdown(last, last.store === 'aws' ? identityFor(last.credentialSource) : undefined), true));
      const range = info ? toRange(lines, info.span.start, info.span.end) : toRange(lines, reference!.span.start, reference!.span.end);
      return new vscode.Hover(parts, range);
    },
  });
}
