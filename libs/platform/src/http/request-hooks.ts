import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { maskUrl } from '../logging/logging.module.js';
import type { MetricsRegistry } from '../metrics/metrics.registry.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { SecurityHeaders } from './security-headers.js';

const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

function levelFor(status: number, route: string): 'error' | 'warn' | 'info' | 'debug' {
  // 503 is a deliberate refusal (an open breaker, a database down, shutting down), with
  // Retry-After: under a provider outage it is every checkout, and must not drown the real errors.
  if (status >= 500 && status !== 503) return 'error';
  if (status >= 400) return 'warn';
  return QUIET_ROUTES.has(route) ? 'debug' : 'info';
}

/** One answered request, as the platform records it. */
export interface AnsweredRequest {
  requestId: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
  /** The route pattern that served it, `unmatched` for none. */
  route: string;
  status: number;
  responseTimeMs: number;
}

/**
 * The request's metrics and one JSON log line with id, method, route pattern, status and
 * duration (health and metrics at debug). Also for requests served below Fastify (the proxy's).
 */
export function recordAnsweredRequest(logger: Pino, metrics: MetricsRegistry, answered: AnsweredRequest): void {
  const { method, route, status, responseTimeMs } = answered;
  metrics.observeRequest(method, route, status, responseTimeMs / 1000);
  const level = levelFor(status, route);
  if (logger.isLevelEnabled(level)) {
    logger[level](
      {
        requestId: answered.requestId,
        req: { method, url: maskUrl(answered.url), headers: answered.headers, remoteAddress: answered.remoteAddress },
        route,
        status,
        responseTime: Math.round(responseTimeMs * 100) / 100,
      },
      `${method} ${route} ${status}`,
    );
  }
}

/**
 * On the way in: helmet's security headers (the document set under /docs) and the request id.
 * Once the response is sent: `recordAnsweredRequest`.
 */
export function installRequestHooks(
  fastify: FastifyInstance,
  logger: Pino,
  metrics: MetricsRegistry,
  security: SecurityHeaders | null,
): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (security) reply.headers(request.url.startsWith('/docs') ? security.documents : security.api);
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    recordAnsweredRequest(logger, metrics, {
      requestId: String(request.id),
      method: request.method,
      url: request.url,
      headers: request.headers,
      // A getter: under TRUST_PROXY, request.ip parses the forwarded chain, needed only for a log line.
      get remoteAddress() {
        return request.ip;
      },
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      responseTimeMs: reply.elapsedTime,
    });
    done();
  });
}
