import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config.js';
import { REDIS, type OptionalRedis } from '../redis/redis.module.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { CachedSkipThrottlerGuard } from './throttler.guard.js';

/**
 * Rate limits per client IP on every route (`@SkipThrottle()` opts out), and AttemptLimiter for
 * per-key limits in use cases; shared in Redis when configured.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: OptionalRedis) => ({
        throttlers: [{ name: 'default', ttl: config.get('THROTTLE_TTL_MS'), limit: config.get('THROTTLE_LIMIT') }],
        storage: redis ? new RedisThrottlerStorage(redis, config.get('REDIS_KEY_PREFIX')) : undefined,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: CachedSkipThrottlerGuard }, AttemptLimiter],
  exports: [AttemptLimiter],
})
export class RateLimitModule {}
