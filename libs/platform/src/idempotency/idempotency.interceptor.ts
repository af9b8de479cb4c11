import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Observable, of } from 'rxjs';
import { type AuthenticatedRequest, callContextOf } from '../auth/auth.decorators.js';
import { AppConfig } from '../config/app-config.js';
import { IDEMPOTENCY_KEY_REQUIRED } from './idempotency.decorators.js';
import { IdempotencyKeyRequiredError, IdempotencyKeyReusedError, IdempotentRequestInFlightError } from './idempotency.errors.js';
import { fingerprintOf, IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key.js';
import { type HeldKey, IdempotencyRepository } from './idempotency.repository.js';

const CLAIM = Symbol('ficus:idempotency-claim');
const REPLAY = Symbol('ficus:idempotency-replay');
type KeyedRequest = FastifyRequest & { [CLAIM]?: string; [REPLAY]?: NonNullable<HeldKey['response']> };

/** The claim the request holds (to complete or release once answered), if any. */
export const claimOf = (request: FastifyRequest) => (request as KeyedRequest)[CLAIM];
/** The stored answer the request is to get again, if any. */
export const replayOf = (request: FastifyRequest) => (request as KeyedRequest)[REPLAY];

/**
 * POSTs with an `Idempotency-Key` (required where `@RequireIdempotencyKey()`): after the guards, so
 * failed authentication never touches a key; before the pipes, so a replay does not re-validate.
 * The first request claims the key, a retry gets the stored answer (IdempotencyResponseHook).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly leaseMs: number;
  private readonly ttlMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyRepository,
    config: AppConfig,
  ) {
    this.leaseMs = config.get('IDEMPOTENCY_LEASE_MS');
    this.ttlMs = config.get('IDEMPOTENCY_KEY_TTL_HOURS') * 3_600_000;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<KeyedRequest & AuthenticatedRequest>();
    if (request.method !== 'POST') return next.handle();
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) {
      if (this.reflector.getAllAndOverride<boolean>(IDEMPOTENCY_KEY_REQUIRED, [context.getHandler(), context.getClass()])) throw new IdempotencyKeyRequiredError();
      return next.handle();
    }
    const fingerprint = fingerprintOf(request.body);
    const outcome = await this.keys.claim({ scope: scopeOf(request), request: `POST ${request.url}`, key, fingerprint, leaseMs: this.leaseMs, ttlMs: this.ttlMs });
    if (outcome.claimed) {
      request[CLAIM] = outcome.id;
      return next.handle();
    }
    const { held } = outcome;
    if (held.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    if (held.response) {
      request[REPLAY] = held.response;
      return of(held.response.body);
    }
    if (held.leaseLeftS > 0 || !(await this.keys.takeOver(held.id, this.leaseMs))) throw new IdempotentRequestInFlightError(Math.max(1, Math.min(held.leaseLeftS, 5)));
    // Its first request stopped without an answer (a crash): this one does the work.
    request[CLAIM] = held.id;
    return next.handle();
  }
}

/** Keys are the caller's own: the account, else the guest cart, else the client address. */
function scopeOf(request: AuthenticatedRequest & FastifyRequest): string {
  const caller = callContextOf(request);
  if (caller.userId) return `user:${caller.userId}`;
  if (caller.cartToken) return `cart:${caller.cartToken}`;
  return `ip:${request.ip}`;
}
