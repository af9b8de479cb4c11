import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key.js';
import { claimOf, replayOf } from './idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** Headers that belong to the answer itself and come back with a replay. */
const STORED_HEADERS = ['content-type', 'content-language', 'location', 'etag', 'cache-control', 'retry-after'];
/**
 * Answers never remembered: validation (400), authentication (401, 403) and rate limits (429)
 * are about this attempt, not the operation; after a 5xx the key stays resumable, so a retry
 * finishes the work instead of getting the error back.
 */
const storable = (status: number) => status < 500 && ![400, 401, 403, 429].includes(status);

/**
 * Once a keyed POST is answered (`onSend`, the body serialised): its claim is completed with the
 * status, headers and exact bytes, or released. A replay gets those back with `Idempotent-Replayed`.
 */
@Injectable()
export class IdempotencyResponseHook implements OnModuleInit {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: IdempotencyRepository,
  ) {}

  onModuleInit(): void {
    const instance: unknown = this.adapterHost.httpAdapter?.getInstance?.();
    if (!instance || typeof (instance as FastifyInstance).addHook !== 'function') return;
    // Synchronous for every response without a key: an async hook costs each one a promise.
    (instance as FastifyInstance).addHook('onSend', (request, reply, payload, done) => {
      if (!replayOf(request) && !claimOf(request)) return done(null, payload);
      this.onSend(request, reply, payload).then((sent) => done(null, sent), done);
    });
  }

  private async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const replay = replayOf(request);
    if (replay) {
      reply.code(replay.status);
      reply.headers(replay.headers);
      reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
      return replay.body;
    }
    const claim = claimOf(request);
    if (!claim) return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : null;
    try {
      if (body && storable(reply.statusCode)) await this.keys.complete(claim, reply.statusCode, headersOf(reply), body);
      else await this.keys.release(claim);
    } catch (error) {
      // The claim's lease runs out, and a retry then does the work again: say so loudly.
      this.logger.error(`idempotency key ${claim} not recorded (a retry after ${reply.statusCode} may run again): ${String(error)}`);
    }
    return payload;
  }
}

function headersOf(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}
