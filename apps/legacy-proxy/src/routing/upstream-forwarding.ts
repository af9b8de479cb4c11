import replyFrom from '@fastify/reply-from';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType, REQUEST_ID_HEADER } from '#platform';
import { AuthBridge, BRIDGE_KEY_HEADER, EXCHANGE_SECRET_HEADER, LEGACY_SESSION_COOKIE } from '../bridge/auth-bridge.js';
import type { Admission, ApiBreakers } from '../breaker/api-breakers.js';
import type { TrafficStats } from '../progress/traffic-stats.js';
import { ShadowMirror, type ShadowRequest } from '../shadow/shadow-mirror.js';
import { DEFAULT_SHADOW_RULES } from '../shadow/shadow-rules.js';
import { DEFAULT_FALLBACK_TIMEOUT_MS, FALLBACK_HEADER, type FallbackReason, failureReason, mayFallBack } from './api-fallback.js';
import { chooseBackend } from './backend-choice.js';
import { BACKEND_HEADER } from './backend-override.js';
import { abortingAgent, forClient } from './client-abort.js';
import { cookieValue } from './cookies.js';
import { withoutHopByHop } from './hop-by-hop.js';
import { PublicOrigin } from './public-origin.js';
import type { RouteMetrics } from './route-metrics.js';
import { type Backend, type RouteDefinition, type RouteTable, type RoutingDecision, UNMATCHED_ROUTE } from './route-table.js';
import { bucketCookie } from './shopper-id.js';

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
}

/** Set on an answer legacy gave because the route's breaker is open. */
export const BREAKER_HEADER = 'x-ficus-breaker';

const UPSTREAM_NAME: Record<Backend, string> = { legacy: 'The legacy shop', api: 'The new API' };
const UPSTREAM_REQUEST_ID = 'x-upstream-request-id';

type UpstreamResponse = { statusCode: number; headers: IncomingHttpHeaders; stream: NodeJS.ReadableStream & { destroy(): void } };

/** Replaces the default answers of reply-from: what to do with the upstream's response or failure. */
interface ForwardHooks {
  onResponse(response: UpstreamResponse): void;
  onError?(error: Error): void;
}

/** The route and backend that served a request, and what to do once it is answered. */
interface Served {
  route: string;
  backend: Backend;
  definition?: RouteDefinition;
  /** Sent to the API as a breaker let it (`api`, or a half-open `probe`). */
  admission?: Admission;
  /** The API failed (api-with-fallback then asked legacy), after this long. */
  apiFailure?: { reason: FallbackReason; ms: number };
  /** The proxy answered with its own problem: the upstream failed. */
  upstreamFailure?: FallbackReason;
  /** A shadow copy to send once the legacy answer is out. */
  shadow?: ShadowRequest;
  /** The backend depended on the shopper's bucket cookie. */
  varyCookie?: boolean;
  /** From the auth bridge: sent to the API (only) as the Authorization header. */
  bearer?: string;
}

/** Secrets of the proxy's own calls: never taken from a client, never passed on. */
export const PROXY_ONLY_HEADERS = [BACKEND_HEADER, BRIDGE_KEY_HEADER, EXCHANGE_SECRET_HEADER];

/**
 * Everything that is not one of the proxy's own routes goes to the legacy shop or the new API as
 * the route table (a tester's override, a canary bucket) decides, bodies streamed untouched (an
 * encapsulated context without body parsers) over keep-alive undici pools, one per backend origin.
 */
export async function registerUpstreamForwarding(fastify: FastifyInstance, options: UpstreamForwardingOptions): Promise<void> {
  const bases: Record<Backend, string> = { legacy: trimSlash(options.legacyUrl), api: trimSlash(options.apiUrl) };
  const served = new WeakMap<FastifyRequest, Served>();
  const { metrics, shadow, breakers, traffic, bridge } = options;
  const publicOrigin = new PublicOrigin([bases.legacy, bases.api]);

  /** Once a request is answered: its metrics, its breaker's verdict, its shadow copy. */
  function answered(state: Served, reply: FastifyReply): void {
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    metrics?.observe(state.route, state.backend, status, seconds);
    traffic?.record(state.route, state.backend, status >= 500);
    const apiError = state.apiFailure?.reason ?? (state.backend === 'api' ? (state.upstreamFailure ?? (status >= 500 ? '5xx' : undefined)) : undefined);
    if (apiError) metrics?.countUpstreamError(state.route, 'api', apiError);
    else if (state.backend === 'legacy' && status >= 500) metrics?.countUpstreamError(state.route, 'legacy', state.upstreamFailure ?? '5xx');
    if (state.admission) breakers?.record(state.definition, state.admission, apiError !== undefined, state.apiFailure?.ms ?? reply.elapsedTime);
    // Only once legacy's whole answer reached the client: a cut-short body compares nothing.
    if (state.shadow && reply.raw.writableFinished) void shadow?.fire(state.shadow);
  }

  function forward(request: FastifyRequest, reply: FastifyReply, backend: Backend, target: string, timeout?: number, hooks?: ForwardHooks) {
    const queryAt = target.indexOf('?');
    const state = served.get(request);
    reply.header(BACKEND_HEADER, backend);
    return forClient(reply.raw, () => reply.from(bases[backend] + (queryAt < 0 ? target : target.slice(0, queryAt)), {
      ...(timeout !== undefined && { timeout }),
      // reply-from would re-encode the query; pass it byte for byte.
      queryString: () => (queryAt < 0 ? '' : target.slice(queryAt + 1)),
      rewriteRequestHeaders: (_original, headers) => {
        const forwarded = withoutHopByHop(headers);
        for (const name of PROXY_ONLY_HEADERS) delete forwarded[name];
        if (backend === 'api' && state?.bearer) forwarded.authorization = `Bearer ${state.bearer}`;
        return { ...forwarded, ...forwardedFor(request), [REQUEST_ID_HEADER]: String(request.id) };
      },
      rewriteHeaders: (headers) =>
        withOurRequestId(publicOrigin.rewrite(withoutHopByHop(headers), request.protocol, request.headers.host), String(request.id), backend, state?.varyCookie === true),
      // Never a second attempt: reply-from would retry a GET answered 503 up to ten times, and a
      // repeated request is the caller's decision (api-with-fallback asks legacy instead).
      retryDelay: () => null,
      ...(hooks && { onResponse: (_request, _reply, response) => hooks.onResponse(response as unknown as UpstreamResponse) }),
      onError: (errorReply, { error }) => {
        if (hooks?.onError) return hooks.onError(error);
        const problem = upstreamProblem(request, backend, error);
        if (state) state.upstreamFailure = problem.status === 504 ? 'timeout' : 'unreachable';
        void errorReply.code(problem.status).header(BACKEND_HEADER, backend).type(PROBLEM_CONTENT_TYPE).send(problem);
      },
    }));
  }

  /** Legacy answers; its body is copied (up to the cap) as it streams, for the comparison afterwards. */
  function forwardWithShadow(request: FastifyRequest, reply: FastifyReply, decision: RoutingDecision, state: Served, mirror: ShadowMirror) {
    return forward(request, reply, 'legacy', decision.legacyUrl, decision.timeoutMs ?? options.timeoutMs, {
      onResponse: (response) => {
        const capture = mirror.capture();
        pipeline(response.stream, capture, () => undefined);
        state.shadow = {
          route: state.route,
          rules: decision.definition!.shadow ?? DEFAULT_SHADOW_RULES,
          method: request.method,
          url: request.url,
          apiUrl: decision.apiUrl,
          headers: { ...ShadowMirror.headersFrom(request.headers), ...forwardedFor(request) },
          requestId: String(request.id),
          legacy: { status: response.statusCode, headers: response.headers, capture },
        };
        void reply.send(capture);
      },
    });
  }

  /**
   * The API first; legacy when it answers 5xx, times out or cannot be reached. Both decisions are
   * taken before the API's first byte goes to the client, so nothing is ever sent twice.
   */
  function forwardWithFallback(request: FastifyRequest, reply: FastifyReply, decision: RoutingDecision, state: Served) {
    const ours = reply.getHeaders();
    const fallBack = (reason: FallbackReason) => {
      // Nothing to do for a client that has gone; a request started after that would be wasted.
      if (reply.raw.headersSent || reply.raw.destroyed) return;
      // Drop what the API's answer put on the reply, keep our own (request id, bucket cookie).
      for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
      void reply.headers(ours).header(FALLBACK_HEADER, reason);
      state.backend = 'legacy';
      state.apiFailure = { reason, ms: reply.elapsedTime };
      metrics?.countFallback(state.route, reason);
      forward(request, reply, 'legacy', decision.legacyUrl, options.timeoutMs);
    };
    return forward(request, reply, 'api', decision.apiUrl, decision.timeoutMs ?? DEFAULT_FALLBACK_TIMEOUT_MS, {
      onResponse: (response) => {
        if (response.statusCode < 500) return void reply.send(response.stream);
        response.stream.destroy();
        fallBack('5xx');
      },
      onError: (error) => fallBack(failureReason(error)),
    });
  }

  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(replyFrom, {
      // reply-from leaves its undici pool open on close unless told otherwise: shut it with the app.
      destroyAgent: true,
      undici: abortingAgent({ connections: 128, keepAliveTimeout: 30_000, headersTimeout: options.timeoutMs ?? 30_000, bodyTimeout: options.timeoutMs ?? 30_000 }),
    });
    scope.addHook('onResponse', (request, reply, done) => {
      const state = served.get(request);
      if (state) answered(state, reply);
      done();
    });
    scope.all('/*', async (request, reply) => {
      const decision = options.routes().resolve(request.method, request.url);
      const choice = chooseBackend(decision, request.headers, options.allowOverride ?? true);
      const state: Served = { route: decision.route ?? UNMATCHED_ROUTE, backend: choice.backend, definition: decision.definition, varyCookie: decision.canary !== undefined };
      served.set(request, state);
      if (choice.newShopperId) reply.header('set-cookie', bucketCookie(choice.newShopperId, request.protocol === 'https'));
      if (state.backend === 'api' && !choice.forced && breakers) {
        const admission = breakers.admit(decision.definition, request.method);
        if (admission === 'legacy') {
          state.backend = 'legacy';
          reply.header(BREAKER_HEADER, 'open');
        } else state.admission = admission;
      }
      if (state.backend === 'api' && bridge && request.headers.authorization === undefined) {
        const session = cookieValue(request.headers.cookie, LEGACY_SESSION_COOKIE);
        if (AuthBridge.validSessionId(session)) state.bearer = (await bridge.tokenFor(session)) ?? undefined;
      }
      if (state.backend === 'api') {
        // A tester forcing the API wants to see its answer, not legacy's.
        const fallback = decision.mode === 'api-with-fallback' && !choice.forced;
        if (fallback && mayFallBack(request.method, request.headers)) return forwardWithFallback(request, reply, decision, state);
        return forward(request, reply, 'api', decision.apiUrl, decision.timeoutMs ?? options.timeoutMs);
      }
      if (decision.mode === 'shadow' && !choice.forced && shadow?.mirrors(decision.definition?.shadow ?? DEFAULT_SHADOW_RULES, request.method)) {
        return forwardWithShadow(request, reply, decision, state, shadow);
      }
      return forward(request, reply, 'legacy', decision.legacyUrl, decision.timeoutMs ?? options.timeoutMs);
    });
  });
}

/** Our id answers the client; an upstream that logged under another id still says which. */
function withOurRequestId(headers: IncomingHttpHeaders, requestId: string, backend: Backend, varyCookie: boolean): IncomingHttpHeaders {
  const { [REQUEST_ID_HEADER]: upstreamId, ...rest } = headers;
  const result: IncomingHttpHeaders = { ...rest, [REQUEST_ID_HEADER]: requestId, [BACKEND_HEADER]: backend };
  // A canary answer depends on the shopper's bucket cookie: a shared cache must not hand it to another.
  if (varyCookie) result.vary = rest.vary ? `${rest.vary}, Cookie` : 'Cookie';
  if (upstreamId !== undefined && upstreamId !== requestId) result[UPSTREAM_REQUEST_ID] = upstreamId;
  return result;
}

function upstreamProblem(request: FastifyRequest, backend: Backend, error: Error) {
  const status = /timeout/i.test(error.message) ? 504 : 502;
  return {
    type: problemType('upstream unavailable'),
    title: 'Upstream unavailable',
    status,
    detail: `${UPSTREAM_NAME[backend]} did not answer`,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    code: 'PROXY.UPSTREAM_UNAVAILABLE',
  };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Who asked, for the backends (the API trusts it with TRUST_PROXY): set here, not passed on, so a
 * client cannot claim another address. Behind a trusted load balancer (the proxy's own
 * TRUST_PROXY) the chain it vouched for is kept.
 */
function forwardedFor(request: FastifyRequest): Record<string, string> {
  return {
    'x-forwarded-for': (request.ips && request.ips.length > 1 ? [...request.ips].reverse() : [request.ip]).join(', '),
    'x-forwarded-proto': request.protocol,
    'x-forwarded-host': request.headers.host ?? '',
  };
}
