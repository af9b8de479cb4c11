import { Redis } from 'ioredis';
import { testRedisUrl } from './env.js';

/**
 * Two clients of the test Redis for a describe block, as two instances of an app would hold:
 * connected before its tests, closed after. Read them inside tests (`clients.a`).
 */
export function twoRedisClients(): { a: Redis; b: Redis } {
  const clients = {} as { a: Redis; b: Redis };
  beforeAll(() => {
    clients.a = new Redis(testRedisUrl());
    clients.b = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await clients.a.quit();
    await clients.b.quit();
  });
  return clients;
}
