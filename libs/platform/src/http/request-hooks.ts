import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { maskUrl } from '../logging/logging.module.js';
import type { MetricsRegistry } from '../metrics/metrics.registry.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { SecurityHeaders } from './security-headers.js';

const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

function levelFor(status: number, route: string): 'error' | 'warn' | 'info' | 'debug' {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return QUIET_ROUTES.has(route) ? 'debug' : 'info';
}

/**
 * On the way in: helmet's security headers (the document set under /docs) and the request id.
 * Once the response is sent: the request's metrics and one JSON log line with id, method, route
 * pattern, status and duration (health and metrics at debug).
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
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const responseTime = reply.elapsedTime;
    metrics.observeRequest(request.method, route, status, responseTime / 1000);
    const level = levelFor(status, route);
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          requestId: request.id,
          req: { method: request.method, url: maskUrl(request.url), headers: request.headers, remoteAddress: request.ip },
          route,
          status,
          responseTime: Math.round(responseTime * 100) / 100,
        },
        `${request.method} ${route} ${status}`,
      );
    }
    done();
  });
}
