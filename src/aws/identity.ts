import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CallerIdentity } from '../core/verify/identity';
import { ResolvedCredentials } from './credentials';
import { boundedHandler } from './boundedHttpHandler';

/** A few KiB answer; anything larger is not STS. */
const MAX_STS_RESPONSE_BYTES = 64 * 1024;

/**
 * STS GetCallerIdentity with the resolved credentials: who a verify (and the product, with the same chain) runs as.
 * It needs no IAM permission. The regional endpoint is used (AWS_ENDPOINT_URL_STS applies), within one deadline.
 */
export async function callerIdentity(
  credentials: ResolvedCredentials['credentials'],
  region: string,
  options: { readonly timeoutMs: number; readonly proxy?: string },
): Promise<CallerIdentity> {
  const client = new STSClient({
    region,
    credentials,
    maxAttempts: 2,
    requestHandler: boundedHandler({ timeoutMs: options.timeoutMs, maxBytes: MAX_STS_RESPONSE_BYTES, proxy: options.proxy, keepAlive: false }),
  });
  const deadline = AbortSignal.timeout(options.timeoutMs);
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}), { abortSignal: deadline });
    if (!answer.Arn) throw Object.assign(new Error('STS answered without an ARN'), { name: 'InvalidResponse' });
    return { arn: answer.Arn, ...(answer.Account ? { account: answer.Account } : {}) };
  } catch (error) {
    if (deadline.aborted) throw Object.assign(new Error(`STS did not answer within ${options.timeoutMs} ms`), { name: 'TimeoutError' });
    throw error;
  } finally {
    client.destroy();
  }
}
