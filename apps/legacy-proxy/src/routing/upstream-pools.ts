import type { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { type Dispatcher, Pool } from 'undici';
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
  signal: AbortSignal | EventEmitter;
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
   * is written to (its backpressure respected); `done` once it is finished, or failed.
   */
  stream(backend: Backend, call: UpstreamCall, answer: Dispatcher.StreamFactory, done: (error: Error | null) => void): void {
    const { pool, prefix } = this.backends[backend];
    pool.stream(
      {
        method: call.method as Dispatcher.HttpMethod,
        path: prefix + call.target,
        headers: call.headers,
        body: call.body,
        signal: call.signal,
        ...(call.timeoutMs !== undefined && { headersTimeout: call.timeoutMs, bodyTimeout: call.timeoutMs }),
      },
      answer,
      done,
    );
  }

  /** Shut every pooled connection, including calls still open. */
  async destroy(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()));
  }
}
