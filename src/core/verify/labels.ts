/** Short texts for CodeLens titles and the status bar. Pure. */
import { normalizePointer } from '../stores/jsonPointer';
import { VerifyOutcome } from './outcome';
import { vaultLensTitle } from './vaultOutcome';

export function timeOf(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function lensTitle(r: VerifyOutcome): string {
  const at = timeOf(r.checkedAt);
  const vault = vaultLensTitle(r);
  if (vault) return `$(error) ${vault} · ${at}`;
  if (r.store === 'vault' && r.code === 'ok') return `$(pass) ${r.message} · ${at}`;
  return awsOrCommonTitle(r, at);
}

/** Titles for the codes every store shares, and AWS's own (its region, its pointer). */
function awsOrCommonTitle(r: VerifyOutcome, at: string): string {
  const region = r.store === 'aws' ? r.region : r.endpoint;
  const pointer = r.store === 'aws' ? r.secretPointer : undefined;
  const shape = r.store === 'aws' ? r.shape : undefined;
  switch (r.code) {
    case 'ok':
      // Never the value, nor its length (a short password would show as one).
      return `$(pass) Resolved · ${shape ?? 'plaintext'}${pointer ? ` · ${normalizePointer(pointer)}` : ''} · ${at}`;
    case 'not-found':
      return `$(error) Not found in ${region} · ${at}`;
    case 'access-denied':
      return `$(error) Access denied by IAM · ${at}`;
    case 'kms-denied':
      return `$(error) KMS key denied · ${at}`;
    case 'marked-for-deletion':
      return `$(error) Secret scheduled for deletion · ${at}`;
    case 'no-credentials':
      return `$(error) No AWS credentials · ${at}`;
    case 'expired-credentials':
      return `$(error) AWS credentials expired · ${at}`;
    case 'invalid-credentials':
      return `$(error) AWS rejected the credentials · ${at}`;
    case 'throttled':
      return `$(error) Throttled · ${at}`;
    case 'timeout':
      return `$(error) Timed out · ${at}`;
    case 'network':
      return `$(error) Cannot reach Secrets Manager · ${at}`;
    case 'binary-secret':
      return `$(error) Binary secret: not read by the product · ${at}`;
    case 'not-json':
      return `$(error) Secret is not JSON, but a pointer is set · ${at}`;
    case 'pointer-missing':
      return `$(error) Nothing at ${normalizePointer(pointer ?? '')} · ${at}`;
    case 'empty-value':
      return `$(error) Empty value · ${at}`;
    case 'endpoint-declined':
      return `$(error) Endpoint not allowed · ${at}`;
    case 'response-too-large':
      return `$(error) Answer too large · ${at}`;
    case 'credential-process-failed':
      return `$(error) credential_process failed · ${at}`;
    case 'cancelled':
      return '$(shield) Verify secret';
    default:
      return `$(error) Failed · ${at}`;
  }
}

/** What Verify all says at the end: how many resolved, failed, and what it did not try and why. */
export function verifySummary(
  outcomes: readonly VerifyOutcome[],
  total: number,
  skipped: readonly { readonly key: string; readonly why: 'errors' | 'templated' }[],
): { summary: string; failed: number; withErrors: number } {
  const failed = outcomes.filter((r) => r.code !== 'ok' && r.code !== 'cancelled').length;
  const cancelled = outcomes.length < total || outcomes.some((r) => r.code === 'cancelled');
  const withErrors = skipped.filter((s) => s.why === 'errors').map((s) => s.key);
  const templated = skipped.filter((s) => s.why === 'templated').map((s) => s.key);
  const notTried =
    (withErrors.length ? `; not tried: ${withErrors.join(', ')} (fix the problems first)` : '') +
    (templated.length ? `; templated: ${templated.join(', ')} (use "Verify with values…")` : '');
  const resolved = outcomes.filter((r) => r.code === 'ok').length;
  return {
    summary: `${resolved} of ${total} secret(s) resolved${failed ? `, ${failed} failed (see the Problems panel)` : ''}${cancelled ? ', cancelled' : ''}${notTried}.`,
    failed,
    withErrors: withErrors.length,
  };
}
