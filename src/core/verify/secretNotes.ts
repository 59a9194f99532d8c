/** Remarks on a secret from its metadata (AWS DescribeSecret), shown beside the verify outcome. Pure. */
import { SecretMetadata, VerifyNote } from './outcome';

export /** What the secret's metadata says beside the outcome: rotation the product does not follow, deletion, a customer KMS key. */
function secretNotes(m: SecretMetadata): VerifyNote[] {
  const notes: VerifyNote[] = [];
  if (m.rotationEnabled)
    notes.push({
      code: 'verify-rotation-enabled',
      severity: 'warning',
      message:
        'Rotation is enabled, but the product reads the secret only at start-up and does not support rotation: after a rotation it keeps the old password until restarted.',
    });
  if (m.deletedDate) notes.push({ code: 'verify-marked-for-deletion', severity: 'error', message: `The secret is scheduled for deletion (${m.deletedDate}).` });
  if (m.kmsKeyId && !/alias\/aws\/secretsmanager$/.test(m.kmsKeyId))
    notes.push({
      code: 'verify-customer-kms-key',
      severity: 'info',
      message: `The secret is encrypted with a customer-managed KMS key (${m.kmsKeyId}): the product's role needs kms:Decrypt on it too.`,
    });
  return notes;
}
