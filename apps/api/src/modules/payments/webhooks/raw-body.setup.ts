import { Readable } from 'node:stream';
import { createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorCodes, type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';

/** Route config (`@RouteConfig(RAW_BODY_ROUTE)`) of routes that need the bytes as sent (signed webhooks). */
export const RAW_BODY_ROUTE = { keepRawBody: true };

const RAW = Symbol('ficus:raw-body');
type WithRaw = FastifyRequest & { [RAW]?: Buffer };

/** The body exactly as received, on a route with RAW_BODY_ROUTE. */
export const RawBody = createParamDecorator((_: unknown, context: ExecutionContext): Buffer =>
  context.switchToHttp().getRequest<WithRaw>()[RAW] ?? Buffer.alloc(0),
);

/**
 * Keeps the raw body of RAW_BODY_ROUTE routes only (a preParsing hook reads it within the route's
 * body limit, then hands the same bytes to the usual JSON parser); every other route is untouched.
 * Registered in the constructor, before Nest adds its routes.
 */
@Injectable()
export class RawBodySetup {
  constructor(adapterHost: HttpAdapterHost) {
    const app = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!app) return;
    app.addHook('onRoute', (route: RouteOptions) => {
      if ((route.config as { keepRawBody?: boolean } | undefined)?.keepRawBody !== true) return;
      route.preParsing = [...[route.preParsing ?? []].flat(), keepRawBody];
    });
  }
}

async function keepRawBody(request: FastifyRequest, _reply: unknown, payload: AsyncIterable<Buffer>): Promise<Readable> {
  const limit = request.routeOptions.bodyLimit ?? 1_048_576;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    if (size > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  (request as WithRaw)[RAW] = raw;
  return Readable.from([raw]);
}
