/**
 * Resolves Atlassian AWS Secrets Manager references exactly as the product does (GetSecretValue with SecretId only,
 * SecretString only, RFC 6901 pointer, endpointOverride) and reports codes, never values.
 */
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ClientLanes } from './lanes';
import { proxyFor } from './proxy';
import { classifyError, ErrorContext, SdkErrorLike } from '../core/verify/awsErrors';
import { resolveSecretValue } from '../core/verify/resolveValue';
import { SecretMetadata, AwsOutcome, MESSAGES_FOR_OK, MAX_RESPONSE_BYTES } from '../core/verify/outcome';
import { secretNotes } from '../core/verify/secretNotes';
import { isDeadline } from '../core/engine/deadline';
import { parseSecretArn } from '../core/stores/aws';
import { foundLines, Preflight } from '../core/verify/identity';
import { ResolvedCredentials, resolveCredentials } from './credentials';
import { callerIdentity } from './identity';

// The SDK warns on every first client that Node.js 20 will not be supported by versions published after 2027; that
// is for the developers of this tool (who pin the SDK), not for its users, whose output it would clutter.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface VerifierOptions {
  /** A profile from ~/.aws/config or ~/.aws/credentials; undefined for the default chain. */
  readonly profile?: string;
  /** The total time for one reference: every attempt and the whole response body. */
  readonly requestTimeoutMs: number;
  readonly imdsTimeoutMs?: number;
  /** How to raise the timeout where the user is ("raise --timeout", a setting), for the timeout message. */
  readonly timeoutHint?: string;
  /** How to choose another profile where the user is ("pass --profile"), for the no-credentials message. */
  readonly profileHint?: string;
  /** Proxy URL (VS Code's http.proxy); otherwise https_proxy / HTTPS_PROXY from the environment. */
  readonly proxy?: string;
  readonly log?: (level: LogLevel, message: string) => void;
}

export interface VerifyRequest {
  readonly region: string;
  readonly secretId: string;
  readonly secretPointer?: string;
  readonly endpointOverride?: string;
  readonly signal?: AbortSignal;
  /** The signal is the caller's deadline too (the shared verify engine's): it aborts with a TimeoutError reason then. */
  readonly deadline?: boolean;
  /** Also fetch DescribeSecret for metadata and notes (its failure only hides them). */
  readonly describe?: boolean;
}

export interface SecretSummary {
  readonly name: string;
  readonly arn?: string;
  readonly description?: string;
  readonly lastChangedDate?: string;
}

/** What one verify knows before it asks: when it started, the outcome's fixed fields, the error messages' context. */
interface ReadContext {
  readonly started: number;
  readonly checkedAt: string;
  readonly base: Pick<AwsOutcome, 'store' | 'region' | 'secretId' | 'secretPointer'>;
  readonly context: ErrorContext;
  readonly keepValue: boolean;
}

/** One verify run: credentials resolved once, clients reused per (region, endpoint). Create a new one per run. */
export class SecretsVerifier {
  private credentials: Promise<ResolvedCredentials> | undefined;
  /** The credentials once resolved: a verify then neither waits on a promise nor looks them up again. */
  private resolvedCredentials: ResolvedCredentials | undefined;
  private readonly lanes: ClientLanes;

  constructor(private readonly options: VerifierOptions) {
    this.lanes = new ClientLanes({
      timeoutMs: options.requestTimeoutMs,
      maxBytes: MAX_RESPONSE_BYTES,
      credentials: () => this.credentialSource(),
      proxyFor: (endpoint, region) => this.proxyFor(endpoint, region),
    });
  }

  private log(level: LogLevel, message: string): void {
    this.options.log?.(level, message);
  }

  /** Resolves (once per run) and names the winning credential source. */
  credentialSource(): Promise<ResolvedCredentials> {
    return (this.credentials ??= resolveCredentials(this.options.profile, this.options.imdsTimeoutMs ?? 1000).then((resolved) => {
      this.resolvedCredentials = resolved;
      return resolved;
    }));
  }

  /** A retry resolves afresh (after aws sso login, a new profile). */
  private forgetCredentials(): void {
    this.credentials = undefined;
    this.resolvedCredentials = undefined;
  }

  /**
   * The wizard's first step: are there credentials, and whose are they? Credentials come from the same chain as a
   * verify; the identity from STS GetCallerIdentity (no permission needed). Only a missing or broken credential is a
   * failure: when STS cannot be reached, the source is still known and the identity is left out with the reason.
   */
  async preflight(region: string | undefined): Promise<Preflight> {
    let resolved: ResolvedCredentials;
    try {
      resolved = await this.credentialSource();
    } catch (error) {
      this.forgetCredentials();
      const { code, message } = classifyError(error as SdkErrorLike, {
        region: region ?? '',
        secretId: '',
        profile: this.options.profile,
        timeoutMs: this.options.requestTimeoutMs,
      });
      const messages = (error as { providerMessages?: string[] }).providerMessages ?? [];
      this.log('warn', `preflight: ${code} (${(error as Error).name})`);
      return { ok: false, code, message, found: foundLines(messages) };
    }
    const stsRegion = region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    try {
      const identity = await callerIdentity(resolved.credentials, stsRegion, {
        timeoutMs: this.options.requestTimeoutMs,
        proxy: this.proxyFor(process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL ?? `https://sts.${stsRegion}.amazonaws.com`),
      });
      this.log('info', `preflight: credentials from ${resolved.source}, caller ${identity.arn}`);
      return { ok: true, source: resolved.source, identity };
    } catch (error) {
      const e = error as SdkErrorLike;
      const { code, message } = classifyError(e, { region: stsRegion, secretId: '', profile: this.options.profile, timeoutMs: this.options.requestTimeoutMs });
      if (code === 'expired-credentials' || code === 'invalid-credentials') {
        this.forgetCredentials();
        return { ok: false, code, message, found: [`${resolved.source}: ${e.name ?? 'Error'}`] };
      }
      this.log('warn', `preflight: credentials from ${resolved.source}; GetCallerIdentity failed (${e.name ?? 'Error'})`);
      return { ok: true, source: resolved.source, identityProblem: message };
    }
  }

  private proxyFor(endpoint: string | undefined, region?: string): string | undefined {
    return proxyFor(endpoint, region, this.options.proxy);
  }

  /** Resolves the reference as the product would; the outcome says what happened, never the value. */
  async verify(request: VerifyRequest): Promise<AwsOutcome> {
    return (await this.resolve(request, false)).outcome;
  }

  /**
   * For Copy value alone: the outcome and, when it is ok, the resolved text. The caller holds the value only as long
   * as it takes to copy it; nothing else in the extension or the CLI calls this.
   */
  async readSecretValue(request: VerifyRequest): Promise<{ readonly outcome: AwsOutcome; readonly value?: string }> {
    return this.resolve({ ...request, describe: false }, true);
  }

  private async resolve(request: VerifyRequest, keepValue: boolean): Promise<{ outcome: AwsOutcome; value?: string }> {
    const started = Date.now();
    const checkedAt = new Date().toISOString();
    const base = { store: 'aws' as const, region: request.region, secretId: request.secretId, secretPointer: request.secretPointer };
    const arnRegion = parseSecretArn(request.secretId)?.region;
    const context = {
      region: request.region,
      secretId: request.secretId,
      profile: this.options.profile,
      arnRegion,
      timeoutMs: this.options.requestTimeoutMs,
      timeoutHint: this.options.timeoutHint,
      profileHint: this.options.profileHint,
    };
    // One deadline for the whole reference: every attempt, the response bodies, and DescribeSecret. The shared verify
    // engine (core/engine) owns it and says so with a DeadlineSignal: its abort reason is a TimeoutError. Called
    // without one (the wizard's own checks), the verifier keeps a deadline of its own.
    if (request.deadline) {
      const given = request.signal ?? new AbortController().signal;
      const timedOut = () => given.aborted && isDeadline(given.reason);
      return this.verifyWithin(request, given, timedOut, { started, checkedAt, base, context, keepValue });
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.requestTimeoutMs);
    const onCancel = () => deadline.abort();
    request.signal?.addEventListener('abort', onCancel, { once: true });
    if (request.signal?.aborted) deadline.abort();
    const signal = deadline.signal;
    const timedOut = () => deadline.signal.aborted && !request.signal?.aborted;
    try {
      return await this.verifyWithin(request, signal, timedOut, { started, checkedAt, base, context, keepValue });
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCancel);
    }
  }

  private async verifyWithin(
    request: VerifyRequest,
    signal: AbortSignal,
    timedOut: () => boolean,
    known: ReadContext,
  ): Promise<{ outcome: AwsOutcome; value?: string }> {
    const { started, checkedAt, base, context } = known;
    let credentialSource = this.resolvedCredentials?.source;
    try {
      credentialSource ??= (await this.credentialSource()).source;
    } catch (error) {
      const { code, message } = classifyError(error as SdkErrorLike, context);
      this.log('warn', `${request.secretId} (${request.region}): ${code} while resolving credentials after ${Date.now() - started} ms`);
      return { outcome: { ...base, code, message, checkedAt, durationMs: Date.now() - started } };
    }
    return this.lanes.run(request.region, request.endpointOverride, signal, (client) => this.read(client, request, timedOut, known, credentialSource));
  }

  /** GetSecretValue (and DescribeSecret when asked) on a lane's client; the outcome, never the value. */
  private async read(
    client: SecretsManagerClient,
    request: VerifyRequest,
    timedOut: () => boolean,
    { started, checkedAt, base, context, keepValue }: ReadContext,
    credentialSource: string,
  ): Promise<{ outcome: AwsOutcome; value?: string }> {
    let requestId: string | undefined;
    try {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: request.secretId }));
      requestId = answer.$metadata.requestId;
      const resolved = resolveSecretValue(answer.SecretString, answer.SecretBinary !== undefined, request.secretPointer);
      let metadata: SecretMetadata = {
        arn: answer.ARN,
        name: answer.Name,
        versionId: answer.VersionId,
        versionStages: answer.VersionStages,
        createdDate: answer.CreatedDate?.toISOString(),
      };
      const described = request.describe !== false ? await this.describe(client, request.secretId) : undefined;
      if (described) metadata = { ...metadata, ...described.metadata };
      const notes = described ? secretNotes(described.metadata) : [];
      const durationMs = Date.now() - started;
      const message = resolved.code === 'ok' ? MESSAGES_FOR_OK(resolved.shape, request.secretPointer) : resolved.message;
      this.log(
        resolved.code === 'ok' ? 'info' : 'warn',
        `${request.secretId} (${request.region}): ${resolved.code} in ${durationMs} ms, request ${requestId ?? '?'}, credentials: ${credentialSource}`,
      );
      // Written out, not spread from base: V8 clones a spread object slowly, and this was 6 µs of a 10 µs verify (the
      // time spent outside the SDK). Every outcome has the same fields, secretPointer undefined when there is none.
      const outcome: AwsOutcome = {
        store: 'aws',
        region: base.region,
        secretId: base.secretId,
        secretPointer: base.secretPointer,
        code: resolved.code,
        message,
        valueLength: resolved.valueLength,
        shape: resolved.shape,
        metadata,
        notes,
        credentialSource,
        requestId,
        durationMs,
        checkedAt,
      };
      // The value leaves this module only for readSecretValue (Copy value), never on the outcome.
      return keepValue && resolved.code === 'ok' ? { outcome, value: resolved.value } : { outcome };
    } catch (error) {
      const e = error as SdkErrorLike;
      requestId = e.$metadata?.requestId;
      const { code, message } = timedOut() ? classifyError({ name: 'TimeoutError' }, context) : classifyError(e, context);
      // When reading is denied, DescribeSecret may still be allowed: its ARN and KMS key make the IAM policy exact.
      let metadata: SecretMetadata | undefined;
      if ((code === 'access-denied' || code === 'kms-denied') && request.describe !== false) {
        const { arn, name, kmsKeyId, rotationEnabled, lastChangedDate } = (await this.describe(client, request.secretId))?.metadata ?? {};
        if (arn !== undefined || name !== undefined) metadata = { arn, name, kmsKeyId, rotationEnabled, lastChangedDate };
      }
      const durationMs = Date.now() - started;
      this.log(
        code === 'cancelled' ? 'info' : 'warn',
        `${request.secretId} (${request.region}): ${code} (${e.name ?? 'Error'}) in ${durationMs} ms, request ${requestId ?? '?'}`,
      );
      return { outcome: { ...base, code, message, credentialSource, requestId, durationMs, checkedAt, ...(metadata ? { metadata } : {}) } };
    }
  }

  /** DescribeSecret's metadata (never a value); undefined when it is not allowed or fails (logged). */
  private async describe(client: SecretsManagerClient, secretId: string): Promise<{ metadata: SecretMetadata } | undefined> {
    try {
      const d = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return {
        metadata: {
          arn: d.ARN,
          name: d.Name,
          description: d.Description,
          lastChangedDate: d.LastChangedDate?.toISOString(),
          rotationEnabled: d.RotationEnabled === true,
          deletedDate: d.DeletedDate?.toISOString(),
          kmsKeyId: d.KmsKeyId,
        },
      };
    } catch (error) {
      this.log('debug', `${secretId}: DescribeSecret failed (${(error as Error).name}); metadata hidden`);
      return undefined;
    }
  }

  /** One page of ListSecrets (names, descriptions, dates; never values). */
  async listSecrets(
    region: string,
    options: { filter?: string; nextToken?: string; signal?: AbortSignal; endpoint?: string } = {},
  ): Promise<{ secrets: SecretSummary[]; nextToken?: string }> {
    const command = new ListSecretsCommand({
      MaxResults: 50,
      ...(options.nextToken ? { NextToken: options.nextToken } : {}),
      ...(options.filter ? { Filters: [{ Key: 'name', Values: [options.filter] }] } : {}),
    });
    const answer = await this.lanes.run(region, options.endpoint, options.signal, (client) => client.send(command));
    return {
      secrets: (answer.SecretList ?? []).map((s) => ({
        name: s.Name ?? '',
        arn: s.ARN,
        description: s.Description,
        lastChangedDate: s.LastChangedDate?.toISOString(),
      })),
      nextToken: answer.NextToken,
    };
  }

  /** A region's secret names and descriptions (never values), a page at a time up to `limit`, for completion. */
  async secretNames(region: string, limit = 100): Promise<{ name: string; description?: string }[]> {
    const out: { name: string; description?: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.listSecrets(region, { nextToken });
      for (const s of page.secrets) out.push(s.description ? { name: s.name, description: s.description } : { name: s.name });
      nextToken = page.nextToken;
    } while (nextToken && out.length < limit);
    return out.slice(0, limit);
  }

  /**
   * The top-level keys of a key/value secret (for the wizard's pointer step). Never the values: they are dropped
   * here, inside the AWS module. Undefined when the secret is not a JSON object.
   */
  async secretKeys(region: string, secretId: string, endpoint?: string): Promise<string[] | undefined> {
    const answer = await this.lanes.run(region, endpoint, undefined, (client) => client.send(new GetSecretValueCommand({ SecretId: secretId })));
    try {
      const parsed: unknown = JSON.parse(answer.SecretString ?? '');
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The regions, of those given, where a secret of this name exists (DescribeSecret: metadata only), for the "secret not
   * found" fix. A few at a time, each within the request timeout; a region that refuses or fails counts as not holding it.
   */
  async regionsHolding(secretId: string, regions: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const found: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < regions.length && !signal?.aborted) {
        const region = regions[next++];
        try {
          const deadline = AbortSignal.timeout(this.options.requestTimeoutMs);
          const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
          await this.lanes.run(region, undefined, abort, (client) => client.send(new DescribeSecretCommand({ SecretId: secretId })));
          found.push(region);
        } catch (error) {
          this.log('debug', `${secretId}: not in ${region} (${(error as Error).name})`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, regions.length) }, worker));
    return regions.filter((r) => found.includes(r));
  }

  /** CreateSecret with a string value (for the wizard). Returns the ARN. */
  async createSecret(
    region: string,
    input: { name: string; secretString: string; description?: string; kmsKeyId?: string; endpoint?: string },
  ): Promise<string | undefined> {
    const command = new CreateSecretCommand({
      Name: input.name,
      SecretString: input.secretString,
      ...(input.description ? { Description: input.description } : {}),
      ...(input.kmsKeyId ? { KmsKeyId: input.kmsKeyId } : {}),
    });
    const answer = await this.lanes.run(region, input.endpoint, undefined, (client) => client.send(command));
    return answer.ARN;
  }

  dispose(): void {
    this.lanes.dispose();
  }
}
