/** What the hover says of a reference's last verify, in every editor: the verdict and what to do first, then details. Pure. */
import { VerifyOutcome } from '../verify/outcome';
import { lensTitle } from '../verify/labels';
import { CallerIdentity } from '../verify/identity';
import { partitionOfRegion } from '../regions/regions';

/** One time format everywhere in the hover: local, with the zone. */
function when(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}

/** The AWS console page of a secret (commercial partition; the others' consoles live elsewhere: no link). */
function consoleLink(arn: string, region: string): string {
  if (partitionOfRegion(region)?.id !== 'aws') return arn;
  const name = arn.replace(/^arn:[^:]+:secretsmanager:[^:]+:\d+:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
  return `[${arn}](https://${region}.console.aws.amazon.com/secretsmanager/secret?name=${encodeURIComponent(name)}&region=${region})`;
}

/** The Secrets Manager endpoint a reference's region is served at (the override, when one was written, is the file's). */
function awsEndpoint(region: string): string | undefined {
  const partition = partitionOfRegion(region);
  return partition ? `https://secretsmanager.${region}.${partition.dnsSuffix}` : undefined;
}

/**
 * The last verify result as Markdown (never the value, nor its length), for the hover of every editor: the verdict and
 * its next step first, then the details. `icons`: VS Code's `$(name)` icons (other editors would show them as text).
 */
export function lastVerifyMarkdown(result: VerifyOutcome, identity: CallerIdentity | undefined, icons: boolean): string {
  const ok = result.code === 'ok';
  const icon = icons ? (ok ? '$(pass) ' : '$(error) ') : '';
  // The lens's words, without its icon and time: the same verdict everywhere; a failure's message says what to do.
  const title = lensTitle(result)
    .replace(/^\$\([^)]*\)\s*/, '')
    .replace(/ · \d\d:\d\d$/, '');
  const verdict = ok ? `${icon}**${title}**` : `${icon}**${title}** — ${result.message}`;
  const rows: Array<[string, string | undefined]> = [];
  if (result.store === 'aws') {
    const m = result.metadata ?? {};
    rows.push(
      ['ARN', m.arn && consoleLink(m.arn, result.region)],
      ['Endpoint', awsEndpoint(result.region)],
      ['Version', m.versionId],
      ['Stages', m.versionStages?.join(', ')],
      ['Last changed', when(m.lastChangedDate)],
      ['Rotation', m.rotationEnabled === undefined ? undefined : m.rotationEnabled ? 'enabled (not supported by the product)' : 'off'],
      ['KMS key', m.kmsKeyId ?? (m.arn ? 'aws/secretsmanager (AWS managed)' : undefined)],
      ['Credentials', result.credentialSource],
      ['Identity', identity?.arn],
      ['Request id', result.requestId],
    );
  } else {
    rows.push(['Endpoint', result.endpoint], ['Version', result.version?.toString()], ['Created', when(result.createdTime)]);
  }
  rows.push(['Checked', when(result.checkedAt)]);
  const table = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`);
  return [
    verdict,
    ...(result.notes ?? []).map((n) => `\n${icons ? `$(${n.severity === 'info' ? 'info' : 'warning'}) ` : ''}${n.message}`),
    '',
    '| Last verify | |',
    '|---|---|',
    ...table,
  ].join('\n');
}
