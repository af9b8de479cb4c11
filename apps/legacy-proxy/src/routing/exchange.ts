import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnsweredRequest } from '#platform';
import type { Admission, ApiBreakers } from '../breaker/api-breakers.js';
import type { TrafficStats } from '../progress/traffic-stats.js';
import type { ShadowMirror, ShadowRequest } from '../shadow/shadow-mirror.js';
import type { FallbackReason } from './api-fallback.js';
import type { ClientGone } from './client-abort.js';
import type { AnswerContext } from './forwarded-headers.js';
import type { RouteMetrics } from './route-metrics.js';
import type { RouteDefinition, RoutingDecision } from './route-table.js';

/** What forwarded requests are called in the platform's metrics and log lines (Fastify's catch-all route, before they bypassed it). */
export const FORWARDED_ROUTE = '/*';

/** One request on its way through: where it goes, what happened, and what to do once it is answered. */
export interface Exchange extends AnswerContext {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  decision: RoutingDecision;
  /** A tester's override chose the backend. */
  forced: boolean;
  route: string;
  definition?: RouteDefinition;
  signal: ClientGone;
  /** Sent to the API as a breaker let it (`api`, or a half-open `probe`). */
  admission?: Admission;
  /** The API failed (api-with-fallback then asked legacy), after this long. */
  apiFailure?: { reason: FallbackReason; ms: number };
  /** The proxy answered with its own problem: the upstream failed. */
  upstreamFailure?: FallbackReason;
  /** A shadow copy to send once the legacy answer is out. */
  shadow?: ShadowRequest;
  /** From the auth bridge: sent to the API (only) as the Authorization header. */
  bearer?: string;
}

/** A header of the proxy's own on the exchange's answer (bucket cookie, breaker, fallback). */
export function ownHeader(exchange: Exchange, name: string, value: string): void {
  (exchange.own ??= {})[name] = value;
}

/** Where an answered request is recorded. */
export interface AnswerSinks {
  metrics?: RouteMetrics;
  traffic?: TrafficStats;
  breakers?: ApiBreakers;
  shadow?: ShadowMirror;
  /** The platform's record of an answered request (its metrics and log line). */
  onAnswered?: (answered: AnsweredRequest) => void;
}

/** Once a request is answered: its metrics, its breaker's verdict, its shadow copy, the platform's log line. */
export function recordAnswer(exchange: Exchange, { metrics, traffic, breakers, shadow, onAnswered }: AnswerSinks): void {
  const { route, backend, res, req } = exchange;
  const status = res.statusCode;
  const ms = performance.now() - exchange.started;
  metrics?.observe(route, backend, status, ms / 1000);
  traffic?.record(route, backend, status >= 500);
  const apiError = exchange.apiFailure?.reason ?? (backend === 'api' ? (exchange.upstreamFailure ?? (status >= 500 ? '5xx' : undefined)) : undefined);
  if (apiError) metrics?.countUpstreamError(route, 'api', apiError);
  else if (backend === 'legacy' && status >= 500) metrics?.countUpstreamError(route, 'legacy', exchange.upstreamFailure ?? '5xx');
  if (exchange.admission) breakers?.record(exchange.definition, exchange.admission, apiError !== undefined, exchange.apiFailure?.ms ?? ms);
  // Only once legacy's whole answer reached the client: a cut-short body compares nothing.
  if (exchange.shadow) void shadow?.fire(exchange.shadow);
  onAnswered?.({
    requestId: exchange.requestId,
    method: req.method!,
    url: req.url!,
    headers: req.headers,
    remoteAddress: exchange.forwarded.client,
    route: FORWARDED_ROUTE,
    status,
    responseTimeMs: ms,
  });
}
