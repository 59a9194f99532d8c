/** What the hover says of a reference's last verify, in every editor. Pure. */
import { VerifyOutcome } from '../verify/outcome';
import { CallerIdentity } from '../verify/identity';

/**
 * The last verify result's metadata, as Markdown (never the value), for the hover of every editor. `icons`: VS Code's
 * `$(name)` icons in the notes (other editors show their text literally).
 */
export function lastVerifyMarkdown(result: VerifyOutcome, identity: CallerIdentity | undefined, icons: boolean): string {
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
    ...(result.notes ?? []).map((n) => `\n${icons ? `$(${n.severity === 'info' ? 'info' : 'warning'}) ` : ''}${n.message}`),
  ].join('\n');
}
