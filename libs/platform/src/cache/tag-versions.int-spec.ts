import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { twoRedisClients } from '#testing';
import { RedisTagVersions } from './tag-versions.js';

describe('RedisTagVersions (real Redis)', () => {
  const prefix = `ficus-test:tags-${randomUUID()}:`;
  // Registered before the clients' own afterAll, which closes them.
  afterAll(async () => {
    const keys = await clients.a.keys(`${prefix}*`);
    if (keys.length) await clients.a.del(...keys);
  });
  const clients = twoRedisClients();

  it('reads the tags asked for in one turn with one MGET, each caller getting its own stamp', async () => {
    const versions = new RedisTagVersions(clients.a, prefix);
    await new RedisTagVersions(clients.b, prefix).bump(['promotions', 'promotions', 'tax-rates']);
    const mget = jest.spyOn(clients.a, 'mget');
    try {
      const stamps = await Promise.all([versions.stamp(['promotions']), versions.stamp(['tax-rates', 'promotions']), versions.stamp(['customer:1'])]);
      expect(stamps).toEqual(['promotions=2', 'tax-rates=1,promotions=2', 'customer:1=0']);
      expect(mget).toHaveBeenCalledTimes(1);
      expect(mget.mock.calls[0][0]).toEqual([`${prefix}cache-tag:promotions`, `${prefix}cache-tag:tax-rates`, `${prefix}cache-tag:customer:1`]);
    } finally {
      mget.mockRestore();
    }
  });

  it('sees another instance bump a tag on the next read', async () => {
    const versions = new RedisTagVersions(clients.a, prefix);
    const before = await versions.stamp(['catalog']);
    await new RedisTagVersions(clients.b, prefix).bump(['catalog']);
    expect(await versions.stamp(['catalog'])).not.toBe(before);
  });

  it('fails every stamp of the batch when Redis refuses the read', async () => {
    const versions = new RedisTagVersions(clients.a, prefix);
    const mget = jest.spyOn(clients.a, 'mget').mockRejectedValueOnce(new Error('LOADING'));
    try {
      const results = await Promise.allSettled([versions.stamp(['a']), versions.stamp(['b'])]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(await versions.stamp(['a'])).toBe('a=0');
    } finally {
      mget.mockRestore();
    }
  });
});
