import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { maskUrl } from '../logging/logging.module.js';
import type { MetricsRegistry } from '../metrics/metrics.registry.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { SecurityHeaders } from './security-headers.js';

const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

type LogLevel = 'error' | 'warn' | 'info' | 'debug';

function levelFor(status: number, route: string): LogLevel {
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
  const level = observeAnswer(logger, metrics, answered.method, answered.route, answered.status, answered.responseTimeMs);
  if (level) writeRequestLine(logger, level, answered);
}

/** Counts the answer; the level of its log line when that level is written, else null. */
function observeAnswer(logger: Pino, metrics: MetricsRegistry, method: string, route: string, status: number, responseTimeMs: number): LogLevel | null {
  metrics.observeRequest(method, route, status, responseTimeMs / 1000);
  const level = levelFor(status, route);
  return logger.isLevelEnabled(level) ? level : null;
}

function writeRequestLine(logger: Pino, level: LogLevel, answered: AnsweredRequest): void {
  const { method, route, status, responseTimeMs } = answered;
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
    // The log record (and request.ip, which parses the forwarded chain under TRUST_PROXY) only
    // when its level is written: most requests of a busy instance are recorded as metrics alone.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const responseTimeMs = reply.elapsedTime;
    const level = observeAnswer(logger, metrics, request.method, route, status, responseTimeMs);
    if (level) {
      const { id, method, url, headers, ip } = request;
      writeRequestLine(logger, level, { requestId: String(id), method, url, headers, remoteAddress: ip, route, status, responseTimeMs });
    }
    done();
  });
}
