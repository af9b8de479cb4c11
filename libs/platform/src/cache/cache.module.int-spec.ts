import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { testEnv, testRedisUrl } from '#testing';
import { PlatformConfigModule } from '../config/config.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { PlatformCacheModule } from './cache.module.js';

async function cacheWith(env: ReturnType<typeof testEnv>) {
  const moduleRef = await Test.createTestingModule({
    // ReadCache, provided here too, needs the core platform's Redis client and metrics.
    imports: [PlatformConfigModule.forRoot(env), MetricsModule, RedisModule, PlatformCacheModule],
  }).compile();
  await moduleRef.init();
  return { cache: moduleRef.get<Cache>(CACHE_MANAGER), close: () => moduleRef.close() };
}

describe('PlatformCacheModule', () => {
  const env = testEnv({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused', REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}cache-spec:` });

  it('stores in Redis under the configured prefix, visible to a second instance', async () => {
    const first = await cacheWith(env);
    const second = await cacheWith(env);
    const redis = new Redis(testRedisUrl());
    try {
      await first.cache.set('product:42', { name: 'Mug', price: 1299 }, 60_000);
      expect(await second.cache.get('product:42')).toEqual({ name: 'Mug', price: 1299 });
      const keys = await redis.keys(`${env.REDIS_KEY_PREFIX}*product:42`);
      expect(keys).toHaveLength(1);
      expect(await redis.pttl(keys[0] as string)).toBeGreaterThan(0);
      await first.cache.del('product:42');
      expect(await second.cache.get('product:42')).toBeUndefined();
    } finally {
      await Promise.all([first.close(), second.close(), redis.quit()]);
    }
  });

  it('falls back to a per-process memory store without REDIS_URL', async () => {
    const noRedis = testEnv({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused', REDIS_URL: '' });
    const first = await cacheWith(noRedis);
    const second = await cacheWith(noRedis);
    try {
      await first.cache.set('k', 'v', 60_000);
      expect(await first.cache.get('k')).toBe('v');
      expect(await second.cache.get('k')).toBeUndefined();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('expires entries after their TTL', async () => {
    const { cache, close } = await cacheWith(env);
    try {
      await cache.set('short', 1, 100);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await cache.get('short')).toBeUndefined();
    } finally {
      await close();
    }
  });
});
