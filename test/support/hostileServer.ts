/** A local HTTP server whose every answer a test scripts (trickling, endless, malformed, redirecting), counting requests. */
import * as http from 'http';
import { AddressInfo } from 'net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class HostileServer {
  readonly requests: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders }> = [];
  private server: http.Server | undefined;

  constructor(private handler: Handler) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get host(): string {
    return new URL(this.url).host;
  }

  setHandler(handler: Handler): void {
    this.handler = handler;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests.push({ method: req.method, url: req.url, headers: req.headers });
      req.resume();
      req.on('end', () => this.handler(req, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Sends `chunk` every `everyMs` until the client goes away (a body that never ends, or trickles). */
export function stream(res: http.ServerResponse, chunk: string | Buffer, everyMs: number, head?: string): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  if (head) res.write(head);
  const tick = () => {
    if (res.destroyed || res.writableEnded) return;
    const ok = res.write(chunk);
    if (everyMs > 0) setTimeout(tick, everyMs);
    else if (ok) setImmediate(tick);
    else res.once('drain', tick);
  };
  res.on('close', () => res.destroy());
  tick();
}
