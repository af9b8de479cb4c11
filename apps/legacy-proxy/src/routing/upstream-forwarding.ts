import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { type AnsweredRequest, requestIdFor } from '#platform';
import type { Logger } from 'pino';
import { AuthBridge } from '../bridge/auth-bridge.js';
import type { ApiBreakers } from '../breaker/api-breakers.js';
import type { TrafficStats } from '../progress/traffic-stats.js';
import { ShadowMirror } from '../shadow/shadow-mirror.js';
import { DEFAULT_SHADOW_RULES } from '../shadow/shadow-rules.js';
import { DEFAULT_FALLBACK_TIMEOUT_MS, FALLBACK_HEADER, type FallbackReason, failureReason, mayFallBack } from './api-fallback.js';
import { chooseBackend } from './backend-choice.js';
import { ClientGone } from './client-abort.js';
import { type Exchange, ownHeader, recordAnswer } from './exchange.js';
import { answerHeaders, type Forwarded, forwardedFor, upstreamRequestHeaders } from './forwarded-headers.js';
import { PublicOrigin } from './public-origin.js';
import type { RouteMetrics } from './route-metrics.js';
import { type Backend, type RouteTable, UNMATCHED_ROUTE } from './route-table.js';
import { bucketCookie } from './shopper-id.js';
import { answerUpstreamProblem } from './upstream-problem.js';
import { type UpstreamAnswer, UpstreamPools } from './upstream-pools.js';

export interface UpstreamForwardingOptions {
  legacyUrl: string;
  apiUrl: string;
  /** The route table in force; read once per request. */
  routes: () => RouteTable;
  timeoutMs?: number;
  metrics?: RouteMetrics;
  /** shadow routes: the copies to the API and their comparison. */
  shadow?: ShadowMirror;
  /** Per-route circuit breakers on the API side. */
  breakers?: ApiBreakers;
  /** Requests per route and backend, for the migration progress. */
  traffic?: TrafficStats;
  /** Legacy sessions turned into API tokens for requests the API serves. */
  bridge?: AuthBridge;
  /** false: the tester override (header or cookie) is ignored. */
  allowOverride?: boolean;
  /** The proxy's TRUST_PROXY: the X-Forwarded-For/-Proto of a load balancer in front are believed. */
  trustProxy?: boolean;
  /** The platform's record of an answered request (its metrics and log line), as for the proxy's own routes. */
  onAnswered?: (answered: AnsweredRequest) => void;
  logger?: Pick<Logger, 'error'>;
}

/** Set on an answer legacy gave because the route's breaker is open. */
export const BREAKER_HEADER = 'x-ficus-breaker';

/**
 * Every request that is not one of the proxy's own routes goes to the legacy shop or the new API as
 * the route table (a tester's override, a canary bucket, a route's breaker) decides: plain node:http
 * in, keep-alive undici pools out (one per backend origin), bodies streamed untouched both ways.
 */
export class UpstreamForwarding {
  private readonly pools: UpstreamPools;
  private readonly publicOrigin: PublicOrigin;

  constructor(private readonly options: UpstreamForwardingOptions) {
    const bases: Record<Backend, string> = { legacy: trimSlash(options.legacyUrl), api: trimSlash(options.apiUrl) };
    const timeout = options.timeoutMs ?? 30_000;
    this.pools = new UpstreamPools(bases, { connections: 128, keepAliveTimeout: 30_000, headersTimeout: timeout, bodyTimeout: timeout });
    this.publicOrigin = new PublicOrigin([bases.legacy, bases.api]);
  }

  /** A node:http `request` listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    let exchange: Exchange | undefined;
    try {
      exchange = this.arrive(req, res);
      const arrived = exchange;
      res.on('close', () => (res.writableFinished ? this.answeredSafely(arrived) : arrived.signal.abort()));
      const session = this.bridgedSession(arrived);
      if (session === undefined) return this.dispatch(arrived);
      this.options
        .bridge!.tokenFor(session)
        .catch(() => null)
        .then((token) => {
          arrived.bearer = token ?? undefined;
          this.dispatch(arrived);
        })
        .catch((error: unknown) => this.broke(arrived, error));
    } catch (error) {
      this.broke(exchange, error, res);
    }
  };

  close(): Promise<void> {
    return this.pools.destroy();
  }

  /** The route, the backend (override, canary bucket, breaker) and the request's id and origin. */
  private arrive(req: IncomingMessage, res: ServerResponse): Exchange {
    const decision = this.options.routes().resolve(req.method!, req.url!);
    const choice = chooseBackend(decision, req.headers, this.options.allowOverride ?? true);
    const forwarded = forwardedFor(req, this.options.trustProxy ?? false);
    const exchange: Exchange = {
      req,
      res,
      started: performance.now(),
      requestId: requestIdFor(req),
      forwarded,
      decision,
      forced: choice.forced,
      route: decision.route ?? UNMATCHED_ROUTE,
      definition: decision.definition,
      backend: choice.backend,
      varyCookie: decision.canary !== undefined,
      signal: new ClientGone(),
    };
    if (choice.newShopperId) ownHeader(exchange, 'set-cookie', bucketCookie(choice.newShopperId, forwarded.proto === 'https'));
    if (exchange.backend === 'api' && !choice.forced && this.options.breakers) {
      const admission = this.options.breakers.admit(decision.definition, req.method!);
      if (admission === 'legacy') {
        exchange.backend = 'legacy';
        ownHeader(exchange, BREAKER_HEADER, 'open');
      } else exchange.admission = admission;
    }
    return exchange;
  }

  /** The legacy session to exchange for a token: an API-bound request with one and no Authorization of its own. */
  private bridgedSession(exchange: Exchange): string | undefined {
    if (exchange.backend !== 'api' || !this.options.bridge || exchange.req.headers.authorization !== undefined) return undefined;
    return AuthBridge.sessionIn(exchange.req.headers.cookie);
  }

  private dispatch(exchange: Exchange): void {
    const { decision, req } = exchange;
    const timeoutMs = decision.timeoutMs ?? this.options.timeoutMs;
    if (exchange.backend === 'api') {
      // A tester forcing the API wants to see its answer, not legacy's.
      const fallback = decision.mode === 'api-with-fallback' && !exchange.forced;
      if (fallback && mayFallBack(req.method!, req.headers)) return this.forwardWithFallback(exchange);
      return this.forward(exchange, 'api', decision.apiUrl, timeoutMs);
    }
    const shadow = this.options.shadow;
    const rules = decision.definition?.shadow ?? DEFAULT_SHADOW_RULES;
    if (decision.mode === 'shadow' && !exchange.forced && shadow?.mirrors(rules, req.method!)) return this.forwardWithShadow(exchange, shadow);
    return this.forward(exchange, 'legacy', decision.legacyUrl, timeoutMs);
  }

  private forward(exchange: Exchange, backend: Backend, target: string, timeoutMs: number | undefined): void {
    this.call(exchange, backend, target, timeoutMs, (answer) => this.answerWith(exchange, answer));
  }

  /** Legacy answers; its body is copied (up to the cap) as it streams, for the comparison afterwards. */
  private forwardWithShadow(exchange: Exchange, mirror: ShadowMirror): void {
    const { decision, req } = exchange;
    this.call(exchange, 'legacy', decision.legacyUrl, decision.timeoutMs ?? this.options.timeoutMs, (answer) => {
      const capture = mirror.capture();
      exchange.shadow = {
        route: exchange.route,
        rules: decision.definition!.shadow ?? DEFAULT_SHADOW_RULES,
        method: req.method!,
        url: req.url!,
        apiUrl: decision.apiUrl,
        headers: { ...ShadowMirror.headersFrom(req.headers), ...forwardedHeaders(exchange.forwarded) },
        requestId: exchange.requestId,
        legacy: { status: answer.statusCode, headers: answer.headers, capture },
      };
      const client = this.answerWith(exchange, answer);
      if (client !== exchange.res) return client;
      capture.on('error', () => client.destroy());
      capture.pipe(client);
      return capture;
    });
  }

  /**
   * The API first; legacy when it answers 5xx, times out or cannot be reached. Both decisions are
   * taken before the API's first byte goes to the client, so nothing is ever sent twice.
   */
  private forwardWithFallback(exchange: Exchange): void {
    const { decision, res } = exchange;
    const fallBack = (reason: FallbackReason) => {
      // Nothing to do for a client that has gone; a request started after that would be wasted.
      if (exchange.apiFailure || res.headersSent || res.destroyed) return;
      ownHeader(exchange, FALLBACK_HEADER, reason);
      exchange.apiFailure = { reason, ms: performance.now() - exchange.started };
      this.options.metrics?.countFallback(exchange.route, reason);
      this.forward(exchange, 'legacy', decision.legacyUrl, this.options.timeoutMs);
    };
    const answer = (api: UpstreamAnswer) => {
      if (api.statusCode < 500) return this.answerWith(exchange, api);
      fallBack('5xx');
      return discarding();
    };
    this.call(exchange, 'api', decision.apiUrl, decision.timeoutMs ?? DEFAULT_FALLBACK_TIMEOUT_MS, answer, (error) => fallBack(failureReason(error)));
  }

  /**
   * One attempt, never repeated: a repeated request is the caller's decision (api-with-fallback
   * asks legacy instead). `answer` gets the backend's status and headers and gives the stream its
   * body goes to; a failure before that is `failed` unless `onFailure` says otherwise.
   */
  private call(exchange: Exchange, backend: Backend, target: string, timeoutMs: number | undefined, answer: (answer: UpstreamAnswer) => Writable, onFailure = (error: Error) => this.failed(exchange, error)): void {
    exchange.backend = backend;
    const { req } = exchange;
    const call = {
      method: req.method!,
      target,
      headers: upstreamRequestHeaders(req.headers, exchange.requestId, exchange.forwarded, backend === 'api' ? exchange.bearer : undefined),
      body: hasBody(req) ? req : null,
      timeoutMs,
      signal: exchange.signal,
    };
    this.pools.stream(backend, call, answer, (error) => {
      // After the answer has started, undici has already cut the client's answer short.
      if (error) onFailure(error);
    });
  }

  /** Writes the backend's status and headers to the client and gives the client's answer for its body. */
  private answerWith(exchange: Exchange, answer: UpstreamAnswer): Writable {
    const { res, req } = exchange;
    if (res.destroyed) return res;
    const headers = answerHeaders(answer.headers, exchange, this.publicOrigin);
    // A body the backend did not wait for cannot be left on the client's connection.
    if (!req.complete) headers.connection = 'close';
    try {
      res.writeHead(answer.statusCode, headers);
    } catch {
      this.failed(exchange, new Error(`an answer Node cannot pass on (status ${answer.statusCode})`));
      return discarding();
    }
    return res;
  }

  private failed(exchange: Exchange, error: Error): void {
    const { res, req } = exchange;
    if (res.headersSent || res.destroyed) return;
    exchange.upstreamFailure = failureReason(error);
    answerUpstreamProblem(res, exchange.upstreamFailure, req.url!, exchange);
  }

  /** A fault of the proxy's own (never expected): logged, and the client's answer given up if it had started. */
  private broke(exchange: Exchange | undefined, error: unknown, res = exchange?.res): void {
    this.options.logger?.error({ err: error, requestId: exchange?.requestId }, 'forwarding failed');
    if (exchange && !res!.headersSent && !res!.destroyed) return this.failed(exchange, error as Error);
    res?.destroy();
  }

  /** From a socket event: a fault here must not take the process down. */
  private answeredSafely(exchange: Exchange): void {
    try {
      recordAnswer(exchange, this.options);
    } catch (error) {
      this.options.logger?.error({ err: error, requestId: exchange.requestId }, 'recording an answered request failed');
    }
  }
}

/** Where an upstream body nobody will read goes: read off and dropped, its socket back in the pool. */
function discarding(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function forwardedHeaders(forwarded: Forwarded): Record<string, string> {
  return { 'x-forwarded-for': forwarded.for, 'x-forwarded-proto': forwarded.proto, 'x-forwarded-host': forwarded.host };
}

/** A body to stream on: one announced by Content-Length or Transfer-Encoding. */
function hasBody(req: IncomingMessage): boolean {
  const { 'content-length': length, 'transfer-encoding': encoding } = req.headers as IncomingHttpHeaders;
  return encoding !== undefined || (length !== undefined && length !== '0');
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');
