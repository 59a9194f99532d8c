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
  constructor(
    options: NodeHttpHandlerOptions,
    private readonly maxBodyBytes: number,
  ) {
    super(options);
  }

  override async handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const result = await super.handle(request, options);
    const body = result.response.body as unknown;
    if (!(body instanceof Readable)) return result;
    const signal = options.abortSignal as AbortSignal | undefined;
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

/**
 * The request handler of every AWS client here: one deadline for connecting and answering, answers bounded to
 * `maxBytes`, through `proxy` when one applies. Kept-alive agents for a client that is reused (Secrets Manager), plain
 * ones for a single call (STS).
 */
export function boundedHandler(options: {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly proxy?: string;
  readonly keepAlive: boolean;
}): BoundedHttpHandler {
  const keep = options.keepAlive ? { keepAlive: true, maxSockets: 16 } : {};
  const agent = options.proxy ? new HttpsProxyAgent(options.proxy, options.keepAlive ? { keepAlive: true } : {}) : undefined;
  return new BoundedHttpHandler(
    {
      connectionTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: agent ?? new http.Agent(keep),
      httpsAgent: agent ?? new https.Agent(keep),
    },
    options.maxBytes,
  );
}
