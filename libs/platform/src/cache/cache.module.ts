import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config.js';
import { HttpCacheHook } from '../http/http-cache.js';
import { ReadCache } from './read-cache.js';

/**
 * `CACHE_MANAGER` for every context: Redis through Keyv when `REDIS_URL` is set, otherwise an
 * in-memory store that only this process sees (fine for the demo, wrong for several instances).
 */
export async function cacheStore(config: AppConfig): Promise<Keyv> {
  const namespace = `${config.get('REDIS_KEY_PREFIX')}cache`;
  const url = config.get('REDIS_URL');
  if (!url) return new Keyv({ namespace });
  // Loaded only when used: about 70 ms of the API's boot when Redis is off.
  const { createKeyvNonBlocking } = await import('@keyv/redis');
  // Non-blocking: a Redis outage makes the cache miss instead of failing the request.
  const keyv = createKeyvNonBlocking(url, { namespace, keyPrefixSeparator: ':' });
  // The store connects on first use, and concurrent first uses race (the second connect fails and
  // closes the first), silently losing those reads and writes: connect before serving, bounded.
  await Promise.race([keyv.get('connect'), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  return keyv;
}

/** Also `ReadCache` for every context, and the hook behind `@HttpCache()`. */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => ({ stores: [await cacheStore(config)], ttl: config.get('CACHE_TTL_MS') }),
    }),
  ],
  providers: [ReadCache, HttpCacheHook],
  exports: [ReadCache],
})
export class PlatformCacheModule {}
