import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';
import type { ClientGone } from './client-abort.js';
import { endToEndHeaders } from './hop-by-hop.js';
import type { Backend } from './route-table.js';

export interface UpstreamCall {
  method: string;
  /** Path and query on the backend, passed byte for byte. */
  target: string;
  headers: IncomingHttpHeaders;
  /** The client's request, streamed as it arrives; null for none. */
  body: IncomingMessage | null;
  /** For the response headers and between body chunks; undefined: the pool's. */
  timeoutMs?: number;
  signal: ClientGone;
}

/** A backend's status and its end-to-end headers (`endToEndHeaders`), an object the receiver may change. */
export interface UpstreamAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

/**
 * Keep-alive undici pools, one per backend origin (legacy and API on one origin share one), and
 * the path a backend's URL puts before every target.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly backends: Record<Backend, { pool: Pool; prefix: string }>;

  constructor(bases: Record<Backend, string>, options: Pool.Options) {
    const backend = (base: string) => {
      const url = new URL(base);
      let pool = this.pools.get(url.origin);
      if (!pool) this.pools.set(url.origin, (pool = new Pool(url.origin, options)));
      return { pool, prefix: url.pathname.replace(/\/+$/, '') };
    };
    this.backends = { legacy: backend(bases.legacy), api: backend(bases.api) };
  }

  /**
   * One attempt, never repeated. `answer` gets the status and headers and gives the stream the body
   * is written to (its backpressure respected); `done` once it is finished, or failed. A failure
   * after the answer has started destroys the stream it was given.
   */
  stream(backend: Backend, call: UpstreamCall, answer: (answer: UpstreamAnswer) => Writable, done: (error: Error | null) => void): void {
    const { pool, prefix } = this.backends[backend];
    pool.dispatch(
      {
        method: call.method as Dispatcher.HttpMethod,
        path: prefix + call.target,
        headers: call.headers,
        body: call.body,
        ...(call.timeoutMs !== undefined && { headersTimeout: call.timeoutMs, bodyTimeout: call.timeoutMs }),
      },
      new WritingHandler(call.signal, answer, done),
    );
  }

  /** Shut every pooled connection, including calls still open. */
  async destroy(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()));
  }
}

/**
 * undici's lowest-level handler: the answer goes straight into the writable `answer` gives, with
 * none of the stream API's per-request async resource, finished() listeners and destroy.
 */
class WritingHandler implements Dispatcher.DispatchHandler {
  private out: Writable | undefined;
  private abort: ((reason: Error) => void) | undefined;
  private resume: (() => void) | undefined;

  constructor(
    private readonly signal: ClientGone,
    private readonly answer: (answer: UpstreamAnswer) => Writable,
    private readonly done: (error: Error | null) => void,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    this.signal.follow(abort);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx (say 103 Early Hints) is not passed on; the final answer follows.
    if (statusCode < 200) return true;
    this.resume = resume;
    const out = (this.out = this.answer({ statusCode, headers: endToEndHeaders(rawHeaders) }));
    return out.writableNeedDrain ? this.waitForDrain(out) : true;
  }

  onData(chunk: Buffer): boolean {
    const out = this.out!;
    return out.write(chunk) ? true : this.waitForDrain(out);
  }

  onComplete(): void {
    this.ended();
    this.out!.end();
    this.done(null);
  }

  onError(error: Error): void {
    this.ended();
    this.out?.destroy(error);
    this.done(error);
  }

  /** Pauses the upstream (false to undici) until the writable has room again. */
  private waitForDrain(out: Writable): false {
    out.once('drain', this.resume!);
    return false;
  }

  private ended(): void {
    if (this.abort) this.signal.release(this.abort);
  }
}
