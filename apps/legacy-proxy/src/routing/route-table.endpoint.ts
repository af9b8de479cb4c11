import type { FastifyInstance } from 'fastify';
import type { RouteTableHolder } from './route-table.holder.js';

export const ROUTE_TABLE_PATH = '/_proxy/routes';

/** The running table, read-only and unauthenticated: only on when PROXY_EXPOSE_ROUTES=true (GET /_proxy/admin/routes is the admin's, with live stats). */
export function registerRouteTableEndpoint(fastify: FastifyInstance, holder: RouteTableHolder): void {
  fastify.get(ROUTE_TABLE_PATH, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return holder.snapshot();
  });
}
