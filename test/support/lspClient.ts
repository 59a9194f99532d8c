/**
 * A minimal Language Server Protocol client for tests: JSON-RPC with Content-Length framing over a child process's
 * stdio, written here (not the server library's) so that the test checks the bytes on the wire. Every byte the server
 * writes to stdout must be a well-framed message: anything else fails the test (`garbage`).
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as path from 'path';

export interface Message {
  readonly jsonrpc: '2.0';
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { code: number; message: string };
}

type Handler = (params: unknown) => unknown;

/** A diagnostic as the protocol carries it. */
export interface LspDiagnostic {
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
  readonly severity: number;
  readonly code: string;
  readonly message: string;
  readonly source: string;
  readonly codeDescription?: { href: string };
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every message the server sent, in order (notifications, requests and responses). */
  readonly received: Message[] = [];
  /** Bytes on stdout that were not part of a message. */
  garbage = '';
  stderr = '';
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void }>();
  private readonly waiters: Array<{ test: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  /** Answers to the server's requests (workspace/configuration, window/showMessageRequest, …), by method. */
  readonly handlers = new Map<string, Handler>();
  readonly exited: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv = process.env, cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js')) {
    this.child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (t: string) => (this.stderr += t));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /^Content-Length: (\d+)$/im.exec(header);
      if (!length || !/^Content-Length: \d+(\r\nContent-Type: [^\r\n]+)?$/i.test(header)) {
        this.garbage += this.buffer.toString('utf8');
        this.buffer = Buffer.alloc(0);
        return;
      }
      const total = headerEnd + 4 + Number(length[1]);
      if (this.buffer.length < total) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, total).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(total);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    this.received.push(message);
    if (message.id !== undefined && message.method === undefined) {
      this.pending.get(message.id as number)?.resolve(message);
      this.pending.delete(message.id as number);
    } else if (message.id !== undefined && message.method !== undefined) {
      const handler = this.handlers.get(message.method);
      const result = handler ? handler(message.params) : null;
      void Promise.resolve(result).then((r) => this.write({ jsonrpc: '2.0', id: message.id, result: r ?? null }));
    }
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i].test(message)) {
        this.waiters[i].resolve(message);
        this.waiters.splice(i--, 1);
      }
    }
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<Message>((resolve) => {
      this.pending.set(id, { resolve });
      this.write({ jsonrpc: '2.0', id, method, params });
    }).then((m) => {
      if (m.error) throw new Error(`${method}: ${m.error.message}`);
      return m.result as T;
    });
  }

  /** A request and its id, for cancelling it. */
  requestWithId<T = unknown>(method: string, params: unknown): { id: number; result: Promise<T> } {
    const id = this.nextId;
    return { id, result: this.request<T>(method, params) };
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The next message (already received or to come, after `after` messages) that passes `test`. */
  next(test: (m: Message) => boolean, after = this.received.length): Promise<Message> {
    const seen = this.received.slice(after).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** The next publishDiagnostics for `uri` (for `version`, when given). */
  diagnostics(uri: string, version?: number, after?: number): Promise<{ uri: string; version?: number; diagnostics: LspDiagnostic[] }> {
    return this.next((m) => {
      const p = m.params as { uri?: string; version?: number } | undefined;
      return m.method === 'textDocument/publishDiagnostics' && p?.uri === uri && (version === undefined || p.version === version);
    }, after).then((m) => m.params as { uri: string; diagnostics: LspDiagnostic[] });
  }

  /** Everything the server sent, as one string (to look for a canary). */
  transcript(): string {
    return JSON.stringify(this.received) + this.garbage + this.stderr;
  }

  async shutdown(): Promise<number | null> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    return this.exited;
  }
}
