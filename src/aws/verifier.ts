/**
 * Resolves Atlassian AWS Secrets Manager references exactly as the product does (GetSecretValue with SecretId only,
 * SecretString only, RFC 6901 pointer, endpointOverride) and reports codes, never values.
 */
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { boundedHandler } from './boundedHttpHandler';
import { proxyFor } from './proxy';
import { classifyError, ErrorContext, SdkErrorLike } from '../core/verify/awsErrors';
import { resolveSecretValue } from '../core/verify/resolveValue';
import { SecretMetadata, AwsOutcome, MESSAGES_FOR_OK, MAX_RESPONSE_BYTES } from '../core/verify/outcome';
import { secretNotes } from '../core/verify/secretNotes';
import { isDeadline } from '../core/engine/deadline';
import { requestEndpoint } from '../core/engine/endpointPolicy';
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

/** One verify run: credentials resolved once, clients reused per (region, endpoint). Create a new one per run. */
export class SecretsVerifier {
  private credentials: Promise<ResolvedCredentials> | undefined;
  private readonly clients = new Map<string, SecretsManagerClient>();

  constructor(private readonly options: VerifierOptions) {}

  private log(level: LogLevel, message: string): void {
    this.options.log?.(level, message);
  }

  /** Resolves (once per run) and names the winning credential source. */
  credentialSource(): Promise<ResolvedCredentials> {
    return (this.credentials ??= resolveCredentials(this.options.profile, this.options.imdsTimeoutMs ?? 1000));
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
      this.credentials = undefined; // a retry resolves afresh (after aws sso login, a new profile)
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
        this.credentials = undefined;
        return { ok: false, code, message, found: [`${resolved.source}: ${e.name ?? 'Error'}`] };
      }
      this.log('warn', `preflight: credentials from ${resolved.source}; GetCallerIdentity failed (${e.name ?? 'Error'})`);
      return { ok: true, source: resolved.source, identityProblem: message };
    }
  }

  private proxyFor(endpoint: string | undefined, region?: string): string | undefined {
    return proxyFor(endpoint, region, this.options.proxy);
  }

  private async client(region: string, raw: string | undefined): Promise<SecretsManagerClient> {
    // The SDK gets the endpoint as the endpoint policy parsed it (origin and path, no userinfo): the host it connects
    // to is the host that was allowed (core/engine/endpointPolicy).
    const endpoint = raw === undefined ? undefined : requestEndpoint(raw);
    if (raw !== undefined && endpoint === undefined) throw Object.assign(new Error(`endpointOverride is not an http(s) URL`), { name: 'InvalidEndpoint' });
    const key = `${region}\u0000${endpoint ?? ''}`;
    const existing = this.clients.get(key);
    if (existing) return existing;
    const { credentials } = await this.credentialSource();
    const client = new SecretsManagerClient({
      region,
      credentials,
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: 3,
      requestHandler: boundedHandler({
        timeoutMs: this.options.requestTimeoutMs,
        maxBytes: MAX_RESPONSE_BYTES,
        proxy: this.proxyFor(endpoint, region),
        keepAlive: true,
      }),
    });
    this.clients.set(key, client);
    return client;
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
    const base = {
      store: 'aws' as const,
      region: request.region,
      secretId: request.secretId,
      ...(request.secretPointer !== undefined ? { secretPointer: request.secretPointer } : {}),
    };
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
    {
      started,
      checkedAt,
      base,
      context,
      keepValue,
    }: {
      started: number;
      checkedAt: string;
      base: Pick<AwsOutcome, 'store' | 'region' | 'secretId' | 'secretPointer'>;
      context: ErrorContext;
      keepValue: boolean;
    },
  ): Promise<{ outcome: AwsOutcome; value?: string }> {
    let credentialSource: string | undefined;
    try {
      credentialSource = (await this.credentialSource()).source;
    } catch (error) {
      const { code, message } = classifyError(error as SdkErrorLike, context);
      this.log('warn', `${request.secretId} (${request.region}): ${code} while resolving credentials after ${Date.now() - started} ms`);
      return { outcome: { ...base, code, message, checkedAt, durationMs: Date.now() - started } };
    }
    const client = await this.client(request.region, request.endpointOverride);
    let requestId: string | undefined;
    try {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: request.secretId }), { abortSignal: signal });
      requestId = answer.$metadata.requestId;
      const resolved = resolveSecretValue(answer.SecretString, answer.SecretBinary !== undefined, request.secretPointer);
      let metadata: SecretMetadata = {
        arn: answer.ARN,
        name: answer.Name,
        versionId: answer.VersionId,
        versionStages: answer.VersionStages,
        createdDate: answer.CreatedDate?.toISOString(),
      };
      const described = request.describe !== false ? await this.describe(client, request.secretId, signal) : undefined;
      if (described) metadata = { ...metadata, ...described.metadata };
      const notes = described ? secretNotes(described.metadata) : [];
      const durationMs = Date.now() - started;
      const message = resolved.code === 'ok' ? MESSAGES_FOR_OK(resolved.shape, request.secretPointer) : resolved.message;
      this.log(
        resolved.code === 'ok' ? 'info' : 'warn',
        `${request.secretId} (${request.region}): ${resolved.code} in ${durationMs} ms, request ${requestId ?? '?'}, credentials: ${credentialSource}`,
      );
      const outcome: AwsOutcome = {
        ...base,
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
        const { arn, name, kmsKeyId, rotationEnabled, lastChangedDate } = (await this.describe(client, request.secretId, signal))?.metadata ?? {};
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
  private async describe(client: SecretsManagerClient, secretId: string, signal: AbortSignal): Promise<{ metadata: SecretMetadata } | undefined> {
    try {
      const d = await client.send(new DescribeSecretCommand({ SecretId: secretId }), { abortSignal: signal });
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
    const client = await this.client(region, options.endpoint);
    const answer = await client.send(
      new ListSecretsCommand({
        MaxResults: 50,
        ...(options.nextToken ? { NextToken: options.nextToken } : {}),
        ...(options.filter ? { Filters: [{ Key: 'name', Values: [options.filter] }] } : {}),
      }),
      { abortSignal: options.signal },
    );
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

  /**
   * The top-level keys of a key/value secret (for the wizard's pointer step). Never the values: they are dropped
   * here, inside the AWS module. Undefined when the secret is not a JSON object.
   */
  async secretKeys(region: string, secretId: string, endpoint?: string): Promise<string[] | undefined> {
    const client = await this.client(region, endpoint);
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
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
          const client = await this.client(region, undefined);
          const deadline = AbortSignal.timeout(this.options.requestTimeoutMs);
          await client.send(new DescribeSecretCommand({ SecretId: secretId }), { abortSignal: signal ? AbortSignal.any([signal, deadline]) : deadline });
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
    const client = await this.client(region, input.endpoint);
    const answer = await client.send(
      new CreateSecretCommand({
        Name: input.name,
        SecretString: input.secretString,
        ...(input.description ? { Description: input.description } : {}),
        ...(input.kmsKeyId ? { KmsKeyId: input.kmsKeyId } : {}),
      }),
    );
    return answer.ARN;
  }

  dispose(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
