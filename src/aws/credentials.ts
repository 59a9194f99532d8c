import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromNodeProviderChain>>>;

export interface ResolvedCredentials {
  readonly credentials: AwsCredentialIdentity;
  /** Which source of the chain won, in words: "environment", "profile dev", "SSO (profile dev)", … */
  readonly source: string;
}

/** Names the credential source from the SDK's credential feature markers ($source). */
export function describeSource(credentials: AwsCredentialIdentity, profile: string | undefined): string {
  const features = Object.keys((credentials as { $source?: Record<string, string> }).$source ?? {});
  const has = (prefix: string) => features.some((f) => f.startsWith(prefix));
  const named = profile ? `profile ${profile}` : `profile ${process.env.AWS_PROFILE ?? 'default'}`;
  if (has('CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN') || has('CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN') || has('CREDENTIALS_STS_ASSUME_ROLE_WEB_ID'))
    return 'web identity';
  if (has('CREDENTIALS_ENV_VARS')) return 'environment';
  if (has('CREDENTIALS_PROFILE_SSO') || has('CREDENTIALS_SSO')) return `SSO (${named})`;
  if (has('CREDENTIALS_PROFILE_PROCESS') || has('CREDENTIALS_PROCESS')) return `credential_process (${named})`;
  if (has('CREDENTIALS_PROFILE_SOURCE_PROFILE')) return `assumed role (${named})`;
  if (has('CREDENTIALS_PROFILE') || has('CREDENTIALS_PROFILE_NAMED_PROVIDER') || has('CREDENTIALS_LOGIN') || has('CREDENTIALS_PROFILE_LOGIN')) return named;
  if (has('CREDENTIALS_HTTP') || has('CREDENTIALS_FULL_URI') || has('CREDENTIALS_RELATIVE_URI')) return 'container role';
  if (process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return 'container role';
  return 'instance role';
}

/**
 * Resolves credentials through the Node default chain (environment, SSO, web identity, shared config and credentials
 * files incl. credential_process, ECS container, EC2 instance metadata), the equivalent of the Java SDK chain the
 * product uses. Called afresh for every explicit verify, so `aws sso login` or an edited ~/.aws/credentials applies
 * at once. The instance-metadata step gets a short timeout so a laptop is not kept waiting.
 *
 * The chain moves on after a provider fails and finally says only "Could not load credentials from any providers";
 * what each provider said is kept on the error (providerMessages), so that a failing credential_process is reported
 * as itself.
 */
export async function resolveCredentials(profile: string | undefined, imdsTimeoutMs: number): Promise<ResolvedCredentials> {
  const providerMessages: string[] = [];
  const capture = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (providerMessages.length < 50) providerMessages.push(text.replace(/^@smithy\/property-provider (->|\(!\)) /, ''));
  };
  const provider = fromNodeProviderChain({
    ...(profile ? { profile } : {}),
    timeout: imdsTimeoutMs,
    maxRetries: 0,
    ignoreCache: true,
    logger: { debug: capture, info: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined },
  });
  try {
    const credentials = await provider();
    return { credentials, source: describeSource(credentials, profile) };
  } catch (error) {
    if (error && typeof error === 'object') Object.defineProperty(error, 'providerMessages', { value: providerMessages, enumerable: false });
    throw error;
  }
}
