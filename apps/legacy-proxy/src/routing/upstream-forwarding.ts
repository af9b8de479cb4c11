import replyFrom from '@fastify/reply-from';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType, REQUEST_ID_HEADER } from '#platform';
import { BACKEND_HEADER, backendOverride } from './backend-override.js';
import type { Backend, RouteTable } from './route-table.js';

export interface UpstreamForwardingOptions {
  legacyUrl: string;
  apiUrl: string;
  /** The route table in force; read once per request. */
  routes: () => RouteTable;
  timeoutMs?: number;
}

const UPSTREAM_NAME: Record<Backend, string> = { legacy: 'The legacy shop', api: 'The new API' };
const UPSTREAM_REQUEST_ID = 'x-upstream-request-id';

/**
 * Everything that is not one of the proxy's own routes goes to the legacy shop or the new API as
 * the route table (or a tester's override) decides, bodies streamed untouched (an encapsulated
 * context without body parsers) over keep-alive undici pools, one per backend origin.
 */
export async function registerUpstreamForwarding(fastify: FastifyInstance, options: UpstreamForwardingOptions): Promise<void> {
  const bases: Record<Backend, string> = { legacy: trimSlash(options.legacyUrl), api: trimSlash(options.apiUrl) };
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(replyFrom, {
      // reply-from leaves its undici pool open on close unless told otherwise: shut it with the app.
      destroyAgent: true,
      undici: { connections: 128, keepAliveTimeout: 30_000, headersTimeout: options.timeoutMs ?? 30_000 },
    });
    scope.all('/*', (request, reply) => {
      const decision = options.routes().resolve(request.method, request.url);
      const backend = backendOverride(request.headers) ?? decision.backend;
      const target = backend === 'api' ? decision.apiUrl : decision.legacyUrl;
      const queryAt = target.indexOf('?');
      reply.header(BACKEND_HEADER, backend);
      return reply.from(bases[backend] + (queryAt < 0 ? target : target.slice(0, queryAt)), {
        // reply-from would re-encode the query; pass it byte for byte.
        queryString: () => (queryAt < 0 ? '' : target.slice(queryAt + 1)),
        rewriteRequestHeaders: (_original, headers) => {
          const { [BACKEND_HEADER]: _override, ...forwarded } = headers;
          return { ...forwarded, [REQUEST_ID_HEADER]: String(request.id) };
        },
        rewriteHeaders: (headers) => withOurRequestId(headers, String(request.id), backend),
        onError: (errorReply, { error }) => {
          const problem = upstreamProblem(request, backend, error);
          void errorReply.code(problem.status).header(BACKEND_HEADER, backend).type(PROBLEM_CONTENT_TYPE).send(problem);
        },
      });
    });
  });
}

/** Our id answers the client; an upstream that logged under another id still says which. */
function withOurRequestId(headers: IncomingHttpHeaders, requestId: string, backend: Backend): IncomingHttpHeaders {
  const { [REQUEST_ID_HEADER]: upstreamId, ...rest } = headers;
  const result: IncomingHttpHeaders = { ...rest, [REQUEST_ID_HEADER]: requestId, [BACKEND_HEADER]: backend };
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
