import replyFrom from '@fastify/reply-from';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from '#platform';

export interface ForwardingOptions {
  legacyUrl: string;
  timeoutMs?: number;
}

/**
 * Everything that is not one of the proxy's own routes goes to the legacy shop, bodies streamed
 * untouched (an encapsulated context without body parsers) over a keep-alive undici pool.
 */
export async function registerLegacyForwarding(fastify: FastifyInstance, options: ForwardingOptions): Promise<void> {
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(replyFrom, {
      base: options.legacyUrl,
      // reply-from leaves its undici pool open on close unless told otherwise: shut it with the app.
      destroyAgent: true,
      undici: { connections: 128, keepAliveTimeout: 30_000, headersTimeout: options.timeoutMs ?? 30_000 },
    });
    scope.all('/*', (request, reply) =>
      reply.from(request.url, {
        onError: (errorReply, { error }) => {
          const status = /timeout/i.test(error.message) ? 504 : 502;
          void errorReply
            .code(status)
            .type(PROBLEM_CONTENT_TYPE)
            .send({
              type: problemType('upstream unavailable'),
              title: 'Upstream unavailable',
              status,
              detail: 'The legacy shop did not answer',
              instance: request.url.split('?')[0],
              requestId: String(request.id),
              code: 'PROXY.UPSTREAM_UNAVAILABLE',
            });
        },
      }),
    );
  });
}
