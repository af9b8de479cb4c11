import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { eventually, TcpProxy, testEnv } from '#testing';
import { PlatformConfigModule } from '../config/config.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { type OptionalRedis, REDIS, RedisModule } from '../redis/redis.module.js';
import { PlatformCacheModule } from './cache.module.js';
import { ReadCache } from './read-cache.js';

type Overrides = Record<string, string | undefined>;

async function readCache(overrides: Overrides) {
  const env = testEnv({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused', ...overrides });
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformConfigModule.forRoot(env), MetricsModule, RedisModule, PlatformCacheModule],
  }).compile();
  await moduleRef.init();
  const redis = moduleRef.get<OptionalRedis>(REDIS);
  if (redis) await eventually(() => redis.status === 'ready');
  const metrics = moduleRef.get(MetricsRegistry);
  const reads = async () => {
    const { values } = await metrics.cacheReads.get();
    return Object.fromEntries(values.map((v) => [v.labels.result, v.value]));
  };
  return { cache: moduleRef.get(ReadCache), redis, reads, close: () => moduleRef.close() };
}

/** A stand-in for the database: counts the reads that reached it. */
function source<T>(initial: T, delayMs = 0) {
  const state = { value: initial, reads: 0 };
  const read = async () => {
    state.reads += 1;
    const { value } = state;
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return value;
  };
  return { state, read };
}

type Instance = Awaited<ReturnType<typeof readCache>>;

/** Both instances read concurrently, the first invalidates, each reads again: values and database reads. */
async function acrossAnUpdate(a: Instance, b: Instance) {
  const db = source('v1', 20);
  const first = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).cache.get('p', ['p'], db.read)));
  const readsBefore = db.state.reads;
  db.state.value = 'v2';
  await a.cache.invalidate('p');
  const after = [await b.cache.get('p', ['p'], db.read), await a.cache.get('p', ['p'], db.read)];
  return { before: [...new Set(first)].join(), after, reads: [readsBefore, db.state.reads] };
}

describe('ReadCache (real Redis)', () => {
  let env: Overrides;
  const instances: { close(): Promise<void> }[] = [];
  const start = async (overrides: Overrides = {}) => {
    const instance = await readCache({ ...env, ...overrides });
    instances.push(instance);
    return instance;
  };

  beforeEach(() => {
    env = { REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}read-cache-${randomUUID().slice(0, 8)}:` };
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.close()));
  });

  it('computes on a miss, answers from the cache after, and counts both', async () => {
    const { cache, reads } = await start();
    const db = source({ id: 1, name: 'Mug' });
    expect(await cache.get('product:1', ['product:1'], db.read)).toEqual({ id: 1, name: 'Mug' });
    expect(await cache.get('product:1', ['product:1'], db.read)).toEqual({ id: 1, name: 'Mug' });
    expect(db.state.reads).toBe(1);
    expect(await reads()).toMatchObject({ hit: 1, miss: 1 });
  });

  it('keeps read entries in process memory too (frozen), so a hit skips the entry round trip; CACHE_LOCAL_ENTRIES=0 turns that off', async () => {
    const dropRedisEntries = async (redis: OptionalRedis, prefix = env.REDIS_KEY_PREFIX) => {
      const keys = await redis!.keys(`${prefix}cache:*`);
      if (keys.length) await redis!.del(...keys);
    };
    const withMemory = await start();
    const db = source({ id: 1, sizes: ['M'] });
    await withMemory.cache.get('product:1', ['product:1'], db.read);
    await dropRedisEntries(withMemory.redis);
    const again = await withMemory.cache.get('product:1', ['product:1'], db.read);
    expect(db.state.reads).toBe(1);
    expect(Object.isFrozen(again) && Object.isFrozen(again.sizes)).toBe(true);
    expect(() => again.sizes.push('L')).toThrow(TypeError);

    const prefix = `${env.REDIS_KEY_PREFIX}no-local:`;
    const without = await start({ CACHE_LOCAL_ENTRIES: '0', REDIS_KEY_PREFIX: prefix });
    const other = source('Mug');
    await without.cache.get('product:2', ['product:2'], other.read);
    await dropRedisEntries(without.redis, prefix);
    await without.cache.get('product:2', ['product:2'], other.read);
    expect(other.state.reads).toBe(2);
  });

  it('stores the extra entries a computation hands over, as fresh as its value: same tags, same versions', async () => {
    const a = await start();
    const b = await start();
    const listing = source(['Mug', 'Cup']);
    const detail = source('computed detail');
    const list = (instance: Instance) =>
      instance.cache.get('products', ['products'], async (also) => {
        const items = await listing.read();
        for (const item of items) also.store(`product:${item}`, `${item} (from the listing)`);
        return items;
      });
    await list(a);
    expect(await b.cache.get('product:Mug', ['products'], detail.read)).toBe('Mug (from the listing)');
    expect(detail.state.reads).toBe(0);

    await a.cache.invalidate('products');
    expect(await b.cache.get('product:Mug', ['products'], detail.read)).toBe('computed detail');

    // Computed across an invalidation: stored under the versions read before, never served after.
    let release!: () => void;
    const slow = a.cache.get('products:slow', ['products'], async (also) => {
      await new Promise<void>((resolve) => (release = resolve));
      also.store('product:Cup', 'stale Cup');
      return [];
    });
    await eventually(() => release !== undefined);
    await a.cache.invalidate('products');
    release();
    await slow;
    expect(await b.cache.get('product:Cup', ['products'], detail.read)).toBe('computed detail');
  });

  it('caches null results and keeps keys apart', async () => {
    const { cache } = await start();
    const missing = source(null);
    const other = source('other');
    expect(await cache.get('product:404', [], missing.read)).toBeNull();
    expect(await cache.get('product:404', [], missing.read)).toBeNull();
    expect(await cache.get('product:405', [], other.read)).toBe('other');
    expect([missing.state.reads, other.state.reads]).toEqual([1, 1]);
  });

  it('forgets entries under an invalidated tag, and only those', async () => {
    const { cache } = await start();
    const product = source('Mug v1');
    const listing = source(['Mug v1']);
    const categories = source(['Kitchen']);
    const readAll = () =>
      Promise.all([
        cache.get('product:1', ['product:1'], product.read),
        cache.get('products:{"page":1}', ['products', 'product:1'], listing.read),
        cache.get('categories', ['categories'], categories.read),
      ]);
    await readAll();
    product.state.value = 'Mug v2';
    listing.state.value = ['Mug v2'];
    await cache.invalidate('product:1');
    expect(await readAll()).toEqual(['Mug v2', ['Mug v2'], ['Kitchen']]);
    expect([product.state.reads, listing.state.reads, categories.state.reads]).toEqual([2, 2, 1]);
  });

  it('shows a second instance the new data after the first invalidates, computing once per version', async () => {
    expect(await acrossAnUpdate(await start(), await start())).toEqual({ before: 'v1', after: ['v2', 'v2'], reads: [1, 2] });
  });

  it('computes once for 20 concurrent misses in one process', async () => {
    const { cache, reads } = await start();
    const db = source('slow', 50);
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get('slow', ['t'], db.read)));
    expect(results).toEqual(Array(20).fill('slow'));
    expect(db.state.reads).toBe(1);
    expect(await reads()).toMatchObject({ miss: 1, shared: 19 });
  });

  it('computes once for concurrent misses across two instances (the other waits for it)', async () => {
    const a = await start();
    const b = await start();
    const db = source('shared', 150);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).cache.get('listing', ['products'], db.read)),
    );
    expect(results).toEqual(Array(20).fill('shared'));
    expect(db.state.reads).toBe(1);
  });

  it('does not share a computation that began before an invalidation', async () => {
    const { cache } = await start();
    const db = source('old', 100);
    const before = cache.get('product:3', ['product:3'], db.read);
    await new Promise((resolve) => setTimeout(resolve, 20));
    db.state.value = 'new';
    await cache.invalidate('product:3');
    expect(await cache.get('product:3', ['product:3'], db.read)).toBe('new');
    expect(await before).toBe('old');
  });

  it('lets a failed computation fail its callers without caching anything', async () => {
    const { cache } = await start();
    const failing = () => Promise.reject(new Error('database down'));
    await expect(Promise.all([cache.get('x', [], failing), cache.get('x', [], failing)])).rejects.toThrow('database down');
    expect(await cache.get('x', [], async () => 'recovered')).toBe('recovered');
  });

  it('keeps answering by computing while Redis is unreachable, and caches again once it is back', async () => {
    const relay = new TcpProxy('127.0.0.1', 6379);
    const port = await relay.start();
    const { cache, redis, close } = await readCache({ ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      const db = source('value');
      await cache.get('k', ['t'], db.read);
      await cache.get('k', ['t'], db.read);
      expect(db.state.reads).toBe(1);

      await relay.cut();
      await eventually(() => redis?.status !== 'ready');
      expect(await cache.get('k', ['t'], db.read)).toBe('value');
      expect(await cache.get('k', ['t'], db.read)).toBe('value');
      expect(db.state.reads).toBe(3);
      await expect(cache.invalidate('t')).rejects.toThrow();

      await relay.restore();
      await eventually(() => redis?.status === 'ready');
      await cache.get('k2', ['t'], db.read);
      await eventually(async () => {
        const before = db.state.reads;
        await cache.get('k2', ['t'], db.read);
        return db.state.reads === before;
      });
    } finally {
      await close();
      await relay.stop();
    }
  });

  it('works in one process without REDIS_URL: cached, single flight, invalidated, not shared', async () => {
    const a = await start({ REDIS_URL: '' });
    const b = await start({ REDIS_URL: '' });
    // Each instance computes for itself, and the second never hears of the first's invalidation.
    expect(await acrossAnUpdate(a, b)).toEqual({ before: 'v1', after: ['v1', 'v2'], reads: [2, 3] });
  });
});
