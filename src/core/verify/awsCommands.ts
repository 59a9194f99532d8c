/** What the user runs or attaches by hand: the least-privilege IAM policy and the AWS CLI check, quoted per shell. Pure. */

/** The least-privilege IAM policy for reading one secret (plus kms:Decrypt when a customer-managed key is used). */
export function iamPolicy(input: { region: string; secretId: string; arn?: string; kmsKeyId?: string; partition?: string }): string {
  const partition = input.partition ?? 'aws';
  const resource =
    input.arn ?? (input.secretId.startsWith('arn:') ? input.secretId : `arn:${partition}:secretsmanager:${input.region}:*:secret:${input.secretId}-??????`);
  const statements: unknown[] = [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resource }];
  if (input.kmsKeyId && !/alias\/aws\/secretsmanager$/.test(input.kmsKeyId)) {
    statements.push({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: input.kmsKeyId.startsWith('arn:') ? input.kmsKeyId : `arn:${partition}:kms:${input.region}:*:key/${input.kmsKeyId}`,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${input.region}.amazonaws.com` } },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** POSIX shell quoting: single quotes, with ' written as '\''. */
export function quotePosix(value: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** PowerShell quoting: single quotes, with ' doubled. */
export function quotePowerShell(value: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/**
 * The AWS CLI command that performs the product's read (GetSecretValue) as whoever runs it, printing the ARN
 * rather than the value.
 */
export function awsCliCheckCommand(input: { region: string; secretId: string; endpointOverride?: string }, shell: 'posix' | 'powershell'): string {
  const q = shell === 'posix' ? quotePosix : quotePowerShell;
  const parts = ['aws', 'secretsmanager', 'get-secret-value', '--secret-id', q(input.secretId), '--region', q(input.region)];
  if (input.endpointOverride) parts.push('--endpoint-url', q(input.endpointOverride));
  parts.push('--query', 'ARN', '--output', 'text');
  return parts.join(' ');
}
