import { randomUUID } from 'node:crypto';
import { twoRedisClients } from '#testing';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

describe('RedisThrottlerStorage (real Redis)', () => {
  const prefix = `${process.env.FICUS_TEST_REDIS_PREFIX}throttle-spec:`;
  const clients = twoRedisClients();

  it('counts hits in the window and blocks past the limit', async () => {
    const storage = new RedisThrottlerStorage(clients.a, prefix);
    const key = randomUUID();
    const hits = [];
    for (let i = 0; i < 4; i += 1) hits.push(await storage.increment(key, 60_000, 3, 0, 'default'));
    expect(hits.map((h) => h.totalHits)).toEqual([1, 2, 3, 4]);
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, false, true]);
    expect(hits[3]?.timeToBlockExpire).toBeGreaterThan(0);
    expect(hits[0]?.timeToExpire).toBeLessThanOrEqual(60);
  });

  it('shares one limit between instances that use the same Redis', async () => {
    const first = new RedisThrottlerStorage(clients.a, prefix);
    const second = new RedisThrottlerStorage(clients.b, prefix);
    const key = randomUUID();
    await first.increment(key, 60_000, 2, 0, 'default');
    await second.increment(key, 60_000, 2, 0, 'default');
    const third = await first.increment(key, 60_000, 2, 0, 'default');
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true });
  });

  it('keeps clients and throttlers apart', async () => {
    const storage = new RedisThrottlerStorage(clients.a, prefix);
    const key = randomUUID();
    await storage.increment(key, 60_000, 1, 0, 'default');
    expect((await storage.increment(randomUUID(), 60_000, 1, 0, 'default')).isBlocked).toBe(false);
    expect((await storage.increment(key, 60_000, 1, 0, 'burst')).isBlocked).toBe(false);
  });

  it('lifts the block when the window expires', async () => {
    const storage = new RedisThrottlerStorage(clients.a, prefix);
    const key = randomUUID();
    await storage.increment(key, 150, 1, 150, 'default');
    expect((await storage.increment(key, 150, 1, 150, 'default')).isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await storage.increment(key, 150, 1, 150, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
