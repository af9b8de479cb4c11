import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { twoRedisClients } from '#testing';
import type { AppConfig } from '../config/app-config.js';
import { ACCESS_RECHECK_MS, AccessRevocations } from './access-revocations.js';
import type { AuthUser } from './auth-user.js';

const TTL_S = 900;

describe('AccessRevocations (real Redis)', () => {
  const prefix = `${process.env.FICUS_TEST_REDIS_PREFIX}revocations-spec:`;
  const config = { get: (key: string) => ({ REDIS_KEY_PREFIX: prefix, JWT_ACCESS_TTL_S: TTL_S })[key] } as unknown as AppConfig;
  const clients = twoRedisClients();

  const token = (roles: string[]): AuthUser => ({ userId: randomUUID(), roles, exp: Math.floor(Date.now() / 1000) + TTL_S });

  it('accepts tokens of accounts with no recorded change, asking Redis once per recheck interval', async () => {
    const revocations = new AccessRevocations(clients.a, config);
    const user = token(['customer']);
    const gets = jest.spyOn(clients.a, 'get');
    expect(await revocations.refuses(user)).toBe(false);
    // Known now: answered without Redis, synchronously.
    expect(revocations.refuses(user)).toBe(false);
    expect(revocations.refuses(user, Date.now() + ACCESS_RECHECK_MS / 2)).toBe(false);
    expect(gets).toHaveBeenCalledTimes(1);
    expect(await revocations.refuses(user, Date.now() + ACCESS_RECHECK_MS + 1)).toBe(false);
    expect(gets).toHaveBeenCalledTimes(2);
    gets.mockRestore();
  });

  it('refuses a disabled account, and a token that claims a role the account lost, on every instance', async () => {
    const writer = new AccessRevocations(clients.a, config);
    const other = new AccessRevocations(clients.b, config);
    const admin = token(['customer', 'admin']);
    expect(await other.refuses(admin)).toBe(false);

    await writer.record(admin.userId, { status: 'active', roles: ['customer'] });
    expect(writer.refuses(admin)).toBe(true);
    // A token issued after the change claims only what the account has.
    expect(writer.refuses({ ...admin, roles: ['customer'] })).toBe(false);
    // The other instance still trusts what it read, until the recheck interval has passed.
    expect(other.refuses(admin)).toBe(false);
    expect(await other.refuses(admin, Date.now() + ACCESS_RECHECK_MS + 1)).toBe(true);

    const customer = token(['customer']);
    await writer.record(customer.userId, { status: 'disabled', roles: ['customer'] });
    expect(await other.refuses(customer)).toBe(true);
    await writer.record(customer.userId, { status: 'active', roles: ['customer'] });
    expect(await new AccessRevocations(clients.b, config).refuses(customer)).toBe(false);
  });

  it('keeps a record for one access-token lifetime (plus the clock tolerance), after which every earlier token has expired', async () => {
    const user = token(['customer']);
    await new AccessRevocations(clients.a, config).record(user.userId, { status: 'disabled', roles: [] });
    const ttl = await clients.a.ttl(`${prefix}auth-access:${user.userId}`);
    expect(ttl).toBeGreaterThan(TTL_S);
    expect(ttl).toBeLessThanOrEqual(TTL_S + 5);
  });

  it('lets tokens through when Redis does not answer, as the stateless check did', async () => {
    const broken = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    broken.on('error', () => undefined);
    try {
      expect(await new AccessRevocations(broken, config).refuses(token(['admin']))).toBe(false);
    } finally {
      broken.disconnect();
    }
  });

  it('without Redis, holds what this process recorded for the token lifetime', async () => {
    const local = new AccessRevocations(null, config);
    const user = token(['customer', 'admin']);
    expect(local.refuses(user)).toBe(false);
    await local.record(user.userId, { status: 'active', roles: ['customer'] });
    expect(local.refuses(user, Date.now() + 60_000)).toBe(true);
    expect(local.refuses(user, Date.now() + (TTL_S + 6) * 1000)).toBe(false);
  });
});
