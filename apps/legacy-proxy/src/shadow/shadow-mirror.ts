import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import { compareAnswers, type ShadowAnswer } from './shadow-comparer.js';
import type { ShadowRules } from './shadow-rules.js';
import type { ShadowFailure, ShadowStats } from './shadow-stats.js';

export const SHADOW_HEADER = 'x-ficus-shadow';

export interface ShadowMirrorOptions {
  apiUrl: string;
  maxConcurrency: number;
  maxBodyBytes: number;
  timeoutMs: number;
  stats: ShadowStats;
  logger?: Logger;
  /** Called with each outcome, for the metrics. */
  onOutcome?: (route: string, outcome: 'match' | 'mismatch' | ShadowFailure) => void;
  /**
   * The auth bridge's token for a copy without Authorization (from the legacy session in its
   * cookies), so the API answers the copy as the same customer legacy answered.
   */
  bearer?: (cookieHeader: string | undefined) => Promise<string | null>;
}

/** The legacy answer as it streamed to the client: a copy of its first bytes, up to the cap. */
export class BodyCapture extends Transform {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.overflowed) {
      this.size += chunk.length;
      if (this.size > this.maxBytes) {
        this.overflowed = true;
        this.chunks.length = 0;
      } else this.chunks.push(chunk);
    }
    done(null, chunk);
  }

  get body(): Buffer | null {
    return this.overflowed ? null : Buffer.concat(this.chunks);
  }
}

/** What a shadow call needs from the original request and its legacy answer. */
export interface ShadowRequest {
  route: string;
  rules: ShadowRules;
  method: string;
  /** The original request target (for samples). */
  url: string;
  /** Path and query on the API. */
  apiUrl: string;
  headers: Record<string, string>;
  requestId: string;
  legacy: { status: number; headers: IncomingHttpHeaders; capture: BodyCapture };
}

const NOT_MIRRORED = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'te', 'upgrade', 'proxy-authorization', 'accept-encoding', 'x-ficus-backend']);

/**
 * Sends a copy of a shadow route's request to the API once legacy's answer has gone to the client,
 * and compares the two. Bounded: at most `maxConcurrency` copies in flight (more are skipped and
 * counted, never queued), bodies up to `maxBodyBytes`, `timeoutMs` per copy; every failure is
 * swallowed and counted, so a slow or broken API never touches the legacy answer.
 */
export class ShadowMirror {
  private inFlight = 0;
  private readonly agent: Agent;
  private readonly base: string;

  constructor(private readonly options: ShadowMirrorOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
    this.agent = new Agent({ connections: options.maxConcurrency, keepAliveTimeout: 30_000 });
  }

  mirrors(rules: ShadowRules | undefined, method: string): rules is ShadowRules {
    return rules !== undefined && rules.methods.includes(method);
  }

  capture(): BodyCapture {
    return new BodyCapture(this.options.maxBodyBytes);
  }

  static headersFrom(headers: IncomingHttpHeaders): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || NOT_MIRRORED.has(name) || name.startsWith('proxy-')) continue;
      result[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return result;
  }

  /** Fire and forget: the returned promise never rejects (tests await it). */
  fire(shadow: ShadowRequest): Promise<void> {
    if (this.inFlight >= this.options.maxConcurrency) return Promise.resolve(this.fail(shadow.route, 'busy'));
    this.inFlight += 1;
    return this.call(shadow)
      .catch((error: unknown) => this.fail(shadow.route, /timeout|abort/i.test(String((error as Error)?.name) + String((error as Error)?.message)) ? 'timeout' : 'unreachable', error))
      .finally(() => {
        this.inFlight -= 1;
      });
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async call(shadow: ShadowRequest): Promise<void> {
    const legacyBody = decoded(shadow.legacy.capture.body, shadow.legacy.headers['content-encoding']);
    if (legacyBody === null) return this.fail(shadow.route, 'too-large');
    const { timeoutMs, maxBodyBytes, bearer } = this.options;
    const token = bearer && shadow.headers.authorization === undefined ? await bearer(shadow.headers.cookie) : null;
    const response = await request(this.base + shadow.apiUrl, {
      method: shadow.method as 'GET',
      headers: { ...shadow.headers, ...(token && { authorization: `Bearer ${token}` }), 'x-request-id': shadow.requestId, [SHADOW_HEADER]: '1', 'accept-encoding': 'identity' },
      dispatcher: this.agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        response.body.destroy();
        return this.fail(shadow.route, 'too-large');
      }
      chunks.push(chunk as Buffer);
    }
    const legacy: ShadowAnswer = { status: shadow.legacy.status, contentType: String(shadow.legacy.headers['content-type'] ?? ''), body: legacyBody };
    const api: ShadowAnswer = { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) };
    const result = compareAnswers(shadow.rules, legacy, api);
    this.options.stats.recordComparison(
      shadow.route,
      result.match,
      result.match ? undefined : { requestId: shadow.requestId, method: shadow.method, url: shadow.url, kind: result.kind!, status: { legacy: legacy.status, api: api.status }, differences: result.differences },
    );
    this.options.onOutcome?.(shadow.route, result.match ? 'match' : 'mismatch');
  }

  private fail(route: string, failure: ShadowFailure, error?: unknown): void {
    this.options.stats.recordFailure(route, failure);
    this.options.onOutcome?.(route, failure);
    if (error) this.options.logger?.debug({ route, err: error }, `shadow call failed (${failure})`);
  }
}

/** Legacy's body as the client got it, decompressed for comparison; null when over the cap or undecodable. */
function decoded(body: Buffer | null, encoding: string | string[] | undefined): Buffer | null {
  if (body === null || encoding === undefined || encoding === 'identity') return body;
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
    if (encoding === 'deflate') return inflateSync(body);
  } catch {
    return null;
  }
  return null;
}
