import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { TooManyAttemptsError } from '../errors/domain-error.js';

export interface AttemptLimit {
  /** What is limited, for the error message: "login attempts for this account". */
  what: string;
  limit: number;
  windowMs: number;
}

/**
 * Per-key limits inside a use case (per account, per IP for one action), on the same storage as the
 * route limits: Redis when configured, so every instance counts together.
 */
@Injectable()
export class AttemptLimiter {
  constructor(@InjectThrottlerStorage() private readonly storage: ThrottlerStorage) {}

  /** Counts one attempt; throws 429 with Retry-After once the key is over its limit. */
  async hit(key: string, { what, limit, windowMs }: AttemptLimit): Promise<void> {
    const result = await this.storage.increment(key, windowMs, limit, windowMs, 'attempts');
    if (result.isBlocked) {
      const retryAfter = Math.max(1, result.timeToBlockExpire);
      throw new TooManyAttemptsError(`Too many ${what}; retry in ${retryAfter} s`, retryAfter);
    }
  }
}
