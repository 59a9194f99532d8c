/** A local HashiCorp Vault (KV v2 read API) for tests: tokens, sealed state, deleted and destroyed versions. */
import * as http from 'http';
import { AddressInfo } from 'net';

interface Version {
  data: Record<string, unknown>;
  deletion_time: string;
  destroyed: boolean;
  created_time: string;
}

export class LocalVault {
  sealed = false;
  /** token → allowed "mount/path" prefixes ("*" for all). */
  readonly tokens = new Map<string, string[]>([['root-token', ['*']]]);
  private readonly secrets = new Map<string, Version[]>();
  private server: http.Server | undefined;

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  put(mount: string, path: string, data: Record<string, unknown>, state: { deleted?: boolean; destroyed?: boolean } = {}): void {
    const key = `${mount}/${path}`;
    const versions = this.secrets.get(key) ?? [];
    versions.push({
      data,
      deletion_time: state.deleted ? new Date().toISOString() : '',
      destroyed: state.destroyed === true,
      created_time: new Date().toISOString(),
    });
    this.secrets.set(key, versions);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/__admin/put' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const { mount, path, data, deleted, destroyed } = JSON.parse(body) as {
          mount: string;
          path: string;
          data: Record<string, unknown>;
          deleted?: boolean;
          destroyed?: boolean;
        };
        this.put(mount, path, data, { deleted, destroyed });
        reply(200, { ok: true });
      });
      return;
    }
    if (this.sealed) return reply(503, { errors: ['Vault is sealed'] });
    const m = /^\/v1\/(.+?)\/data\/(.+)$/.exec(decodeURI((req.url ?? '').split('?')[0]));
    if (!m || req.method !== 'GET') return reply(404, { errors: [] });
    const [, mount, path] = m;
    const token = String(req.headers['x-vault-token'] ?? '');
    const allowed = this.tokens.get(token);
    if (!allowed || !allowed.some((p) => p === '*' || `${mount}/${path}`.startsWith(p))) return reply(403, { errors: ['permission denied'] });
    const versions = this.secrets.get(`${mount}/${path}`);
    if (!versions) return reply(404, { errors: [] });
    const latest = versions[versions.length - 1];
    const metadata = { version: versions.length, deletion_time: latest.deletion_time, destroyed: latest.destroyed, created_time: latest.created_time };
    if (latest.deletion_time || latest.destroyed) return reply(404, { data: { data: null, metadata } });
    return reply(200, { data: { data: latest.data, metadata } });
  }
}
