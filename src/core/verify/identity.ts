/**
 * Who a verify runs as: the credential source that won, and the caller identity STS reports for it. Pure: the AWS
 * module fills it in, the wizard's first step, the status bar and the hover show it.
 */
import type { VerifyCode } from './outcome';

/** STS GetCallerIdentity's answer. */
export interface CallerIdentity {
  readonly arn: string;
  readonly account?: string;
}

/** What the wizard's first step found. */
export type Preflight =
  | {
      readonly ok: true;
      /** The credential source in words ("environment", "profile dev", "instance role"). */
      readonly source: string;
      readonly identity?: CallerIdentity;
      /** Why the identity is unknown (STS unreachable, denied); the credentials themselves were found. */
      readonly identityProblem?: string;
    }
  | {
      readonly ok: false;
      readonly code: VerifyCode;
      readonly message: string;
      /** What each provider of the chain said, in order (never a credential). */
      readonly found: readonly string[];
    };

/**
 * The chain the product uses: AWS SDK for Java 2.x DefaultCredentialsProvider, in its documented order
 * (../shared/reference/atlassian-secret-stores.md §4.2, [CODE][AWS]). The editor resolves with the Node SDK's
 * equivalent chain; Java system properties exist only for the product's JVM.
 */
export const PRODUCT_CREDENTIAL_CHAIN: readonly { readonly name: string; readonly detail: string }[] = [
  { name: 'Java system properties', detail: 'aws.accessKeyId and aws.secretAccessKey in the product JVM options (the product only)' },
  { name: 'Environment variables', detail: 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN' },
  { name: 'Web identity token', detail: 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (EKS IAM roles for service accounts)' },
  { name: 'Shared files', detail: '~/.aws/credentials and ~/.aws/config, profile [default] unless AWS_PROFILE says otherwise; SSO and credential_process' },
  { name: 'Container credentials', detail: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or …_FULL_URI (ECS task role, EKS Pod Identity)' },
  { name: 'EC2 instance profile', detail: 'the instance role through IMDSv2 (in a container on EC2: hop limit 2 or more)' },
];

/**
 * A short name for an identity ARN: "role BitbucketRole (session i-0abc…)", "user alice", "root". The account is
 * left to the caller.
 */
export function identityLabel(arn: string): string {
  const resource = /^arn:[^:]+:(?:iam|sts)::\d*:(.*)$/.exec(arn)?.[1];
  if (resource === undefined) return arn;
  if (resource === 'root') return 'root';
  const [type, ...rest] = resource.split('/');
  if (type === 'assumed-role' && rest.length >= 1) return `role ${rest[0]}${rest[1] ? ` (session ${rest.slice(1).join('/')})` : ''}`;
  if (type === 'user') return `user ${rest.at(-1) ?? ''}`;
  if (type === 'federated-user') return `federated user ${rest.join('/')}`;
  return resource;
}

/** "user alice in 123456789012 (environment)", or the source alone when the identity is unknown. */
export function whoLabel(source: string, identity: CallerIdentity | undefined): string {
  if (!identity) return source;
  return `${identityLabel(identity.arn)}${identity.account ? ` in ${identity.account}` : ''} (${source})`;
}

/** Provider messages worth showing: the chain's own wording, without stack noise, deduplicated, at most `max`. */
export function foundLines(messages: readonly string[], max = 8): string[] {
  const out: string[] = [];
  for (const raw of messages) {
    const line = raw.split('\n')[0].trim();
    // The chain's trace of which provider it enters ("@aws-sdk/credential-provider-env - fromEnv") says nothing found.
    if (line === '' || out.includes(line) || /^@(aws-sdk|smithy)\/[\w-]+ - /.test(line)) continue;
    out.push(line.length > 200 ? `${line.slice(0, 199)}…` : line);
    if (out.length === max) break;
  }
  return out;
}
