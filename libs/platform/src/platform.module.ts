import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { PlatformCacheModule } from './cache/cache.module.js';
import { PlatformConfigModule } from './config/config.module.js';
import type { Env } from './config/env.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { BackendMetricsModule, MetricsModule } from './metrics/metrics.module.js';
import { PlatformQueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RateLimitModule } from './security/rate-limit.module.js';

export interface PlatformOptions {
  env: Env;
  /** Where log lines go; stdout when omitted. */
  logStream?: DestinationStream;
}

/** Config, logging, metrics, shutdown state, Redis and rate limits: what every Ficus app needs. */
@Module({})
export class CorePlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: CorePlatformModule,
      imports: [
        PlatformConfigModule.forRoot(options.env),
        LoggingModule.forRoot(options.logStream),
        LifecycleModule,
        MetricsModule,
        RedisModule,
        RateLimitModule,
      ],
    };
  }
}

/** PostgreSQL, the event outbox, cache, queues, idempotency keys, readiness and their gauges: for apps that own data. */
@Module({
  imports: [DatabaseModule, EventsModule, PlatformCacheModule, PlatformQueueModule, HealthModule, BackendMetricsModule, IdempotencyModule],
})
export class BackendPlatformModule {}
