import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** The shared ioredis client, or `null` when `REDIS_URL` is unset (single-process mode). */
export const REDIS = Symbol('REDIS');
export type OptionalRedis = Redis | null;

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: OptionalRedis) {}

  /** QUIT resolves before the socket closes; wait for 'end' so nothing is left open. */
  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'end') return;
    // Reconnecting to a Redis that is down, QUIT would never see 'end': drop the socket instead.
    if (redis.status !== 'ready') return redis.disconnect();
    await new Promise<void>((resolve) => {
      const fallback = setTimeout(() => redis.disconnect(), 2000);
      redis.once('end', () => {
        clearTimeout(fallback);
        resolve();
      });
      redis.quit().catch(() => redis.disconnect());
    });
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): OptionalRedis => {
        const url = config.get('REDIS_URL');
        if (!url) return null;
        // Bounded: a Redis that stops answering fails commands fast instead of holding requests.
        // No auto-pipelining: tried, at 200 requests/s few commands share an event-loop turn, and
        // its per-command bookkeeping cost more API CPU than the writes it saved.
        const client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000 });
        const logger = new Logger('Redis');
        client.on('error', (error: Error) => logger.warn(`redis error: ${error.message}`));
        return client;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
