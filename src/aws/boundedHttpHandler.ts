/**
 * The SDK's Node HTTP handler with two bounds the SDK lacks: the response body is read up to a byte limit and no
 * further (an endless body cannot exhaust memory), and the request's abort signal also ends a body that is still
 * arriving (the SDK's own timeouts are per socket event, so a body trickling in one byte at a time never times out).
 */
import { NodeHttpHandler, NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { HttpsProxyAgent } from 'https-proxy-agent';
import * as http from 'http';
import * as https from 'https';
import { Readable, Transform } from 'stream';

/** Thrown (as the body's stream error) when an answer is larger than the limit. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLarge';
  constructor(readonly limit: number) {
    super(`The answer is larger than ${limit} bytes; reading stopped.`);
  }
}

function abortError(): Error {
  const error = new Error('Request aborted');
  error.name = 'AbortError';
  return error;
}

/** Destroys `body` with an AbortError when `signal` aborts before the body has ended. */
function endOnAbort(body: Readable, signal: AbortSignal): void {
  const onAbort = () => {
    body.destroy(abortError());
  };
  if (signal.aborted) return onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  body.once('close', () => signal.removeEventListener('abort', onAbort));
}

/** `source` as a stream that fails past `limit` bytes or when `signal` aborts, destroying the source either way. */
export function boundedBody(source: Readable, limit: number, signal?: AbortSignal): Readable {
  let size = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) {
        source.destroy();
        done(new ResponseTooLargeError(limit));
        return;
      }
      done(null, chunk);
    },
  });
  // An abort ends the source with an AbortError, which reaches `out` through the source's error.
  source.on('error', (error) => out.destroy(error));
  if (signal) endOnAbort(source, signal);
  source.pipe(out);
  return out;
}

export class BoundedHttpHandler extends NodeHttpHandler {
  /**
   * The signal of the one request this handler's client is sending (see the verifier's lanes), when the SDK is given
   * none: the request is not sent once it has aborted, and is destroyed (body included) when it aborts.
   */
  laneSignal: AbortSignal | undefined;

  constructor(
    options: NodeHttpHandlerOptions,
    private readonly maxBodyBytes: number,
  ) {
    super(options);
  }

  override async handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const signal = (options.abortSignal as AbortSignal | undefined) ?? this.laneSignal;
    // NodeHttpHandler sends nothing on an aborted signal: an abort during the SDK's back-off between attempts ends the
    // next attempt before it is sent.
    const result = await super.handle(request, signal === options.abortSignal ? options : { ...options, abortSignal: signal });
    const body = result.response.body as unknown;
    if (!(body instanceof Readable)) return result;
    const length = Number(result.response.headers['content-length'] ?? NaN);
    if (Number.isInteger(length) && length <= this.maxBodyBytes) {
      // Node's parser delivers no more than Content-Length bytes: only the deadline needs watching, and not even that
      // once the whole body has arrived (the usual case for a secret: it comes with the headers).
      if (signal && !(body as Readable & { complete?: boolean }).complete) endOnAbort(body, signal);
      return result;
    }
    if (Number.isInteger(length)) {
      body.destroy();
      throw new ResponseTooLargeError(this.maxBodyBytes);
    }
    result.response.body = boundedBody(body, this.maxBodyBytes, signal);
    return result;
  }
}

export interface Agents {
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;
}

/** Kept-alive agents for clients that are reused (Secrets Manager), plain ones for a single call (STS). */
export function agentsFor(options: { readonly proxy?: string; readonly keepAlive: boolean }): Agents {
  const keep = options.keepAlive ? { keepAlive: true, maxSockets: 16 } : {};
  const proxy = options.proxy ? new HttpsProxyAgent(options.proxy, options.keepAlive ? { keepAlive: true } : {}) : undefined;
  return { httpAgent: proxy ?? new http.Agent(keep), httpsAgent: proxy ?? new https.Agent(keep) };
}

/**
 * The request handler of every AWS client here: one deadline for connecting and answering, answers bounded to
 * `maxBytes`, through `proxy` when one applies (or through the given agents, which several handlers may share).
 */
export function boundedHandler(options: {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly proxy?: string;
  readonly keepAlive: boolean;
  readonly agents?: Agents;
}): BoundedHttpHandler {
  const { httpAgent, httpsAgent } = options.agents ?? agentsFor(options);
  return new BoundedHttpHandler(
    { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs, throwOnRequestTimeout: true, httpAgent, httpsAgent },
    options.maxBytes,
  );
}
