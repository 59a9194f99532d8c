/** Short texts for CodeLens titles and the status bar. Pure. */
import { normalizePointer } from './jsonPointer';
import { VerifyResult } from './outcome';
import { vaultLensTitle } from './vaultOutcome';

export function timeOf(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function lensTitle(r: VerifyResult): string {
  const at = timeOf(r.checkedAt);
  const vault = vaultLensTitle(r);
  if (vault) return `$(error) ${vault} · ${at}`;
  if (r.code === 'ok' && r.store === 'vault') return `$(pass) ${r.message} · ${at}`;
  switch (r.code) {
    case 'ok':
      return `$(pass) Resolved · ${r.shape ?? 'plaintext'}${r.secretPointer ? ` · ${normalizePointer(r.secretPointer)}` : ''} · ${r.valueLength ?? 0} chars · ${at}`;
    case 'not-found':
      return `$(error) Not found in ${r.region} · ${at}`;
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
      return `$(error) Nothing at ${normalizePointer(r.secretPointer ?? '')} · ${at}`;
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

/** AWS's own endpoint domains: an endpointOverride elsewhere needs the user's consent before signed requests go there. */
export function isAwsHost(hostname: string): boolean {
  return /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws|amazonaws\.eu|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/i.test(hostname);
}
