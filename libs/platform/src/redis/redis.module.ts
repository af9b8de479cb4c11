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
    await new Promise<void>((resolve) => {
      redis.once('end', () => resolve());
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
        const client = new Redis(url, { maxRetriesPerRequest: 2 });
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
