import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

const NOTHING = () => undefined;

/**
 * The proxy's own routes (health, metrics, admin, the route table, and whatever else the Nest app
 * or the platform registers), mirrored from Fastify's router as they are added, with the same
 * matcher and defaults Fastify uses. A request one of them takes, or one Fastify's router would
 * refuse (a malformed URL, a target that is not a path), is Fastify's; every other request is
 * forwarded below it.
 */
export class OwnRoutes {
  private readonly router = FindMyWay({ caseSensitive: true, ignoreTrailingSlash: false, maxParamLength: 100, onBadUrl: NOTHING });

  /** Call before any route is registered: Nest registers its controllers at init. */
  constructor(fastify: FastifyInstance) {
    fastify.addHook('onRoute', (route) => {
      this.router.on(route.method as HTTPMethod | HTTPMethod[], route.url, NOTHING);
    });
  }

  takes(req: IncomingMessage): boolean {
    const url = req.url ?? '';
    return url.charCodeAt(0) !== 47 /* '/' */ || this.router.find(req.method as HTTPMethod, url) !== null;
  }
}

/**
 * Puts a front on the server's `request` listener (Fastify's): requests for the proxy's own routes
 * still go to Fastify and Nest, every other one to `forward`. While the server is closing, Fastify
 * takes them all, to answer 503 and close the connection.
 */
export function serveOwnRoutesOnly(server: Server, own: OwnRoutes, forward: RequestListener): void {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) throw new Error(`expected Fastify's one request listener, found ${listeners.length}`);
  const framework = listeners[0]!;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res) => (!server.listening || own.takes(req) ? framework(req, res) : forward(req, res)));
}
