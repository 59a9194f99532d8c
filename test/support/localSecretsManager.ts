/**
 * A local AWS Secrets Manager for tests and the demo, speaking the real wire protocol (awsJson1.1,
 * X-Amz-Target: secretsmanager.*). Signatures are checked for real: the server recomputes SigV4 with
 * @smithy/signature-v4 for its known credentials and answers with AWS's error shapes. Faults can be injected
 * (latency, throttling, 5xx, malformed bodies, dropped connections), programmatically or through /__admin/faults.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

export const TEST_ACCESS_KEY_ID = 'AKIAENCPROPSTEST0001';
export const TEST_SECRET_ACCESS_KEY = 'encprops/test/secret/access/key/0000000001';
export const TEST_ACCOUNT = '123456789012';
/** The caller STS GetCallerIdentity reports for the test credentials. */
export const TEST_CALLER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:user/encprops-test`;

export interface StoredSecret {
  name: string;
  arn: string;
  secretString?: string;
  secretBinary?: string; // base64
  description?: string;
  kmsKeyId?: string;
  rotationEnabled?: boolean;
  deletedDate?: Date;
  createdDate: Date;
  lastChangedDate: Date;
  versionId: string;
  /** Test knobs: IAM denies GetSecretValue / the KMS key cannot be used. */
  denyAccess?: boolean;
  kmsDenied?: boolean;
}

export interface Faults {
  latencyMs?: number;
  /** The next N requests answer ThrottlingException. */
  throttle?: number;
  /** The next N requests answer HTTP 500 InternalServiceError. */
  serverError?: number;
  /** The next N requests answer 200 with a body that is not JSON. */
  malformed?: number;
  /** The next N requests have their connection destroyed without an answer. */
  drop?: number;
  /** Deny ListSecrets (for the wizard's fallback). */
  denyList?: boolean;
}

export interface SeedSecret {
  name: string;
  secretString?: string;
  secretBinary?: string;
  region?: string;
  description?: string;
  kmsKeyId?: string;
  rotationEnabled?: boolean;
  deleted?: boolean;
  denyAccess?: boolean;
  kmsDenied?: boolean;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Answer ExpiredTokenException for these credentials. */
  expired?: boolean;
}

export const EXPIRED_ACCESS_KEY_ID = 'ASIAENCPROPSEXPIRED1';

/** Secrets Manager's error names, as STS spells them. */
const STS_ERROR: Record<string, string> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
};

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects, on Node's crypto. */
class NodeSha256 {
  private hash: crypto.Hash | crypto.Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }

  private create(): crypto.Hash | crypto.Hmac {
    return this.secret !== undefined ? crypto.createHmac('sha256', toBuffer(this.secret)) : crypto.createHash('sha256');
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.create();
  }
}

function randomSuffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(crypto.randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
}

export class LocalSecretsManager {
  /** Secrets per region. */
  private readonly secrets = new Map<string, Map<string, StoredSecret>>();
  private readonly credentials: Credentials[] = [
    { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    { accessKeyId: EXPIRED_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY, expired: true },
  ];
  faults: Faults = {};
  /** Called as each request arrives, before any fault (for tests that act at a given request). */
  onRequest: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  /** Count of requests per operation (for tests and benchmarks). */
  readonly calls = new Map<string, number>();
  private server: http.Server | undefined;
  private readonly sockets = new Set<import('net').Socket>();

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Environment that points the AWS SDK (and the AWS CLI) at this server with the test credentials. */
  env(region = 'ap-southeast-2'): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.endpoint,
      AWS_ENDPOINT_URL_STS: this.endpoint,
      AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
      AWS_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  seed(secret: SeedSecret): StoredSecret {
    const region = secret.region ?? 'ap-southeast-2';
    const now = new Date();
    const stored: StoredSecret = {
      name: secret.name,
      arn: `arn:aws:secretsmanager:${region}:${TEST_ACCOUNT}:secret:${secret.name}-${randomSuffix()}`,
      secretString: secret.secretString,
      secretBinary: secret.secretBinary,
      description: secret.description,
      kmsKeyId: secret.kmsKeyId,
      rotationEnabled: secret.rotationEnabled,
      deletedDate: secret.deleted ? now : undefined,
      createdDate: now,
      lastChangedDate: now,
      versionId: crypto.randomUUID(),
      denyAccess: secret.denyAccess,
      kmsDenied: secret.kmsDenied,
    };
    this.region(region).set(secret.name, stored);
    return stored;
  }

  clear(): void {
    this.secrets.clear();
    this.faults = {};
    this.calls.clear();
  }

  private region(region: string): Map<string, StoredSecret> {
    let map = this.secrets.get(region);
    if (!map) this.secrets.set(region, (map = new Map<string, StoredSecret>()));
    return map;
  }

  private find(region: string, secretId: string): StoredSecret | undefined {
    const map = this.region(region);
    if (secretId.startsWith('arn:')) {
      for (const s of map.values()) if (s.arn === secretId || secretId.startsWith(s.arn.slice(0, -7))) return s;
      return undefined;
    }
    return map.get(secretId);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    if (url.startsWith('/__admin/')) return this.admin(url, body, res);

    const requestId = crypto.randomUUID();
    const reply = (status: number, payload: unknown, type?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId };
      if (type) headers['x-amzn-errortype'] = type;
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload));
    };
    const error = (status: number, type: string, message: string) => reply(status, { __type: type, message, Message: message }, type);

    this.onRequest?.(req, res);
    if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    if (this.faults.drop && this.faults.drop > 0) {
      this.faults.drop--;
      req.socket.destroy();
      return;
    }
    if (this.faults.throttle && this.faults.throttle > 0) {
      this.faults.throttle--;
      return error(400, 'ThrottlingException', 'Rate exceeded');
    }
    if (this.faults.serverError && this.faults.serverError > 0) {
      this.faults.serverError--;
      return error(500, 'InternalServiceError', 'An error occurred on the server side.');
    }
    if (this.faults.malformed && this.faults.malformed > 0) {
      this.faults.malformed--;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
      res.end('<html>this is not json');
      return;
    }

    // STS speaks the query protocol: a form body with Action=…, XML answers.
    if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return this.handleSts(req, res, body, requestId);

    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);

    const auth = await this.checkSignature(req, body);
    if (!auth.ok) return error(auth.status, auth.type, auth.message);
    const region = auth.region;

    // The JSON protocol's request fields this fake reads (strings, as the SDK sends them), and the rest.
    let input: { SecretId?: string; NextToken?: string; Name?: string } & Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as typeof input) : {};
    } catch {
      return error(400, 'SerializationException', 'Start of structure or map found where not expected.');
    }

    switch (operation) {
      case 'GetSecretValue': {
        const s = this.find(region, input.SecretId ?? '');
        if (!s) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        if (s.denyAccess) {
          return error(
            400,
            'AccessDeniedException',
            `User: arn:aws:iam::${TEST_ACCOUNT}:user/test is not authorized to perform: secretsmanager:GetSecretValue on resource: ${s.name} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
          );
        }
        if (s.deletedDate) return error(400, 'InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
        if (s.kmsDenied) return error(400, 'DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
        return reply(200, {
          ARN: s.arn,
          Name: s.name,
          VersionId: s.versionId,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: s.createdDate.getTime() / 1000,
          ...(s.secretString !== undefined ? { SecretString: s.secretString } : {}),
          ...(s.secretBinary !== undefined ? { SecretBinary: s.secretBinary } : {}),
        });
      }
      case 'DescribeSecret': {
        const s = this.find(region, input.SecretId ?? '');
        if (!s) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return reply(200, {
          ARN: s.arn,
          Name: s.name,
          Description: s.description,
          KmsKeyId: s.kmsKeyId,
          RotationEnabled: s.rotationEnabled ?? false,
          LastChangedDate: s.lastChangedDate.getTime() / 1000,
          CreatedDate: s.createdDate.getTime() / 1000,
          ...(s.deletedDate ? { DeletedDate: s.deletedDate.getTime() / 1000 } : {}),
          VersionIdsToStages: { [s.versionId]: ['AWSCURRENT'] },
        });
      }
      case 'ListSecrets': {
        if (this.faults.denyList) return error(400, 'AccessDeniedException', 'User is not authorized to perform: secretsmanager:ListSecrets');
        const max = Math.min(100, Math.max(1, Number(input.MaxResults ?? 100)));
        const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
        const filters = (input.Filters as Array<{ Key: string; Values: string[] }> | undefined) ?? [];
        const nameFilter = filters.find((f) => f.Key === 'name')?.Values ?? [];
        const all = [...this.region(region).values()]
          .filter((s) => !s.deletedDate)
          .filter((s) => nameFilter.length === 0 || nameFilter.some((v) => s.name.toLowerCase().startsWith(v.toLowerCase())))
          .sort((a, b) => a.name.localeCompare(b.name));
        const page = all.slice(start, start + max);
        return reply(200, {
          SecretList: page.map((s) => ({
            ARN: s.arn,
            Name: s.name,
            Description: s.description,
            LastChangedDate: s.lastChangedDate.getTime() / 1000,
            KmsKeyId: s.kmsKeyId,
          })),
          ...(start + max < all.length ? { NextToken: Buffer.from(String(start + max)).toString('base64') } : {}),
        });
      }
      case 'CreateSecret': {
        const name = input.Name ?? '';
        if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name))
          return error(400, 'ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
        if (this.region(region).has(name)) return error(400, 'ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
        const s = this.seed({
          name,
          region,
          secretString: input.SecretString as string | undefined,
          description: input.Description as string | undefined,
          kmsKeyId: input.KmsKeyId as string | undefined,
        });
        return reply(200, { ARN: s.arn, Name: s.name, VersionId: s.versionId });
      }
      case 'PutSecretValue': {
        const s = this.find(region, input.SecretId ?? '');
        if (!s) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        s.secretString = input.SecretString as string | undefined;
        s.versionId = crypto.randomUUID();
        s.lastChangedDate = new Date();
        return reply(200, { ARN: s.arn, Name: s.name, VersionId: s.versionId, VersionStages: ['AWSCURRENT'] });
      }
      default:
        return error(400, 'UnknownOperationException', `Unknown operation ${target}`);
    }
  }

  /** STS GetCallerIdentity (query protocol): who the test credentials are; errors in STS's XML shape. */
  private async handleSts(req: http.IncomingMessage, res: http.ServerResponse, body: string, requestId: string): Promise<void> {
    const action = new URLSearchParams(body).get('Action') ?? '';
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    const xml = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(text);
    };
    const error = (status: number, code: string, message: string) =>
      xml(
        status,
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    const auth = await this.checkSignature(req, body, 'sts');
    if (!auth.ok) return error(auth.status === 400 ? 403 : auth.status, STS_ERROR[auth.type] ?? auth.type, auth.message);
    if (action !== 'GetCallerIdentity') return error(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    xml(
      200,
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${this.callerArn}</Arn><UserId>AIDAENCPROPSTEST0001</UserId><Account>${TEST_ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }

  /** What GetCallerIdentity answers for the test credentials. */
  callerArn = TEST_CALLER_ARN;

  /** Recomputes the SigV4 signature for the claimed access key, region and service, as AWS does. */
  private async checkSignature(
    req: http.IncomingMessage,
    body: string,
    expectedService = 'secretsmanager',
  ): Promise<{ ok: true; region: string } | { ok: false; status: number; type: string; message: string }> {
    const authorization = String(req.headers.authorization ?? '');
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
    if (!m) return { ok: false, status: 400, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
    const [, accessKeyId, , region, service, signedHeaders, signature] = m;
    const credentials = this.credentials.find((c) => c.accessKeyId === accessKeyId);
    if (!credentials) return { ok: false, status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    if (credentials.expired) return { ok: false, status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };
    if (service !== expectedService) {
      return { ok: false, status: 400, type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${expectedService}'.` };
    }
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const date = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(';')) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // The signature is bound to the region the client was built for; recompute it for the region this endpoint
    // serves when it is known (a real regional endpoint rejects other regions).
    const signer = new SignatureV4({ credentials, region, service: expectedService, sha256: NodeSha256, uriEscapePath: true, applyChecksum: true });
    const [path, query] = (req.url ?? '/').split('?');
    const signed = await signer.sign(
      {
        method: req.method ?? 'POST',
        protocol: 'http:',
        hostname: String(req.headers.host ?? '').split(':')[0],
        port: Number(String(req.headers.host ?? '').split(':')[1] ?? 80),
        path,
        query: query ? Object.fromEntries(new URLSearchParams(query)) : {},
        headers,
        body,
      },
      { signingDate: date, signingRegion: region },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1];
    if (expected !== signature) {
      return {
        ok: false,
        status: 400,
        type: 'InvalidSignatureException',
        message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      };
    }
    if (this.servedRegion && region !== this.servedRegion) {
      return { ok: false, status: 400, type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${region}'.` };
    }
    return { ok: true, region };
  }

  /** When set, the server acts as one regional endpoint and rejects signatures scoped to other regions. */
  servedRegion: string | undefined;

  private admin(url: string, body: string, res: http.ServerResponse): void {
    const ok = (payload: unknown = { ok: true }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    try {
      const input = (body ? JSON.parse(body) : {}) as { secrets?: SeedSecret[] } & Record<string, unknown>;
      if (url === '/__admin/seed') {
        const seeded = (input.secrets ?? []).map((s) => this.seed(s));
        return ok({ arns: seeded.map((s) => s.arn) });
      }
      if (url === '/__admin/faults') {
        this.faults = input as Faults;
        return ok();
      }
      if (url === '/__admin/clear') {
        this.clear();
        return ok();
      }
      if (url === '/__admin/calls') return ok(Object.fromEntries(this.calls));
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(e) }));
    }
  }
}

// Run on its own (`node out/test/support/localSecretsManager.js`): the server in a process of its own, as a real endpoint
// is, for measurements that must not share an event loop with it. Prints its endpoint, then serves until killed.
if (require.main === module) {
  void new LocalSecretsManager().start().then((server) => process.stdout.write(`${server.endpoint}\n`));
}
