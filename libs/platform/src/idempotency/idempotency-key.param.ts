import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key.js';

/** The request's Idempotency-Key (routes with `@RequireIdempotencyKey()` always have one). */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  parseIdempotencyKey(context.switchToHttp().getRequest<FastifyRequest>().headers[IDEMPOTENCY_KEY_HEADER])!,
);
