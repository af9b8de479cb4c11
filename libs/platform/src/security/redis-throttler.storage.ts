import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

// @nest-lab/throttler-storage-redis does not support Nest 12 yet; this is the same fixed-window
// algorithm as @nestjs/throttler's in-memory storage, atomic in one Lua call so that several
// instances share the limits.
const INCREMENT = `
local hits_key = KEYS[1]
local block_key = KEYS[2]
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local block = tonumber(ARGV[3])
local blocked_for = redis.call('PTTL', block_key)
if blocked_for > 0 then
  return { tonumber(redis.call('GET', hits_key) or limit + 1), redis.call('PTTL', hits_key), 1, blocked_for }
end
local hits = redis.call('INCR', hits_key)
if hits == 1 then redis.call('PEXPIRE', hits_key, ttl) end
local expires_in = redis.call('PTTL', hits_key)
if hits > limit then
  redis.call('SET', block_key, 1, 'PX', block)
  return { hits, expires_in, 1, block }
end
return { hits, expires_in, 0, 0 }
`;

const WARN_EVERY_MS = 10_000;

/** The script as an ioredis command: EVALSHA (41 bytes) on every request instead of the script's text, EVAL on a cache miss. */
const COMMAND = 'ficusThrottleIncrement';
type ThrottleCommand = (hitsKey: string, blockKey: string, ttl: number, limit: number, block: number) => Promise<[number, number, number, number]>;

export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  private readonly increment$: ThrottleCommand;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: INCREMENT });
    this.increment$ = (redis as unknown as Record<typeof COMMAND, ThrottleCommand>)[COMMAND].bind(redis);
  }

  /** Fails open: with Redis unreachable, requests pass unlimited rather than all failing. */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    try {
      return await this.count(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      if (Date.now() - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`Redis unavailable, rate limits not enforced: ${String(error)}`);
      }
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  private async count(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const base = `${this.prefix}throttle:${throttlerName}:${key}`;
    const [totalHits, expiresMs, blocked, blockMs] = await this.increment$(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration > 0 ? blockDuration : ttl);
    return {
      totalHits,
      timeToExpire: Math.max(0, Math.ceil(expiresMs / 1000)),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.max(0, Math.ceil(blockMs / 1000)),
    };
  }
}
