import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '#testing';
import { databaseOptions } from '../database/database-options.js';
import { type KeyClaim, IdempotencyRepository } from './idempotency.repository.js';

describe('IdempotencyRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let keys: IdempotencyRepository;
  const claimOf = (key: string): KeyClaim => ({ scope: 'spec', request: 'POST /things', key, fingerprint: 'f', leaseMs: 60_000, ttlMs: 86_400_000 });
  const rows = async (key: string) => (await db.query('SELECT id, response_status FROM platform.idempotency_keys WHERE key = $1', [key])).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(databaseOptions({ url: db.url })).initialize();
    keys = new IdempotencyRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('releases a claim in the batch of the same turn as a retry claiming the key again: the retry gets it', async () => {
    const first = await keys.claim(claimOf('k-release'));
    if (!first.claimed) throw new Error('first claim lost');
    const [, retry] = await Promise.all([keys.release(first.id), keys.claim(claimOf('k-release'))]);
    expect(retry.claimed).toBe(true);
    const left = await rows('k-release');
    expect(left).toHaveLength(1);
    expect(left[0].id).toBe((retry as { id: string }).id);
  });

  it('releases only a claim that has no answer: a completed key stays', async () => {
    const claim = await keys.claim(claimOf('k-done'));
    if (!claim.claimed) throw new Error('claim lost');
    await keys.complete(claim.id, 201, { 'content-type': 'application/json' }, Buffer.from('{}'));
    await keys.release(claim.id);
    expect(await rows('k-done')).toEqual([{ id: claim.id, response_status: 201 }]);
  });

  it('carries claims, completions and releases of many requests in one turn, each answered for itself', async () => {
    const claimed = await Promise.all(['a', 'b', 'c'].map((k) => keys.claim(claimOf(`k-many-${k}`))));
    const ids = claimed.map((c) => (c.claimed ? c.id : ''));
    await Promise.all([
      keys.complete(ids[0]!, 200, {}, Buffer.from('a')),
      keys.release(ids[1]!),
      keys.claim(claimOf('k-many-d')),
      keys.claim(claimOf('k-many-c')).then((again) => expect(again.claimed).toBe(false)),
    ]);
    expect((await rows('k-many-a'))[0].response_status).toBe(200);
    expect(await rows('k-many-b')).toEqual([]);
    expect(await rows('k-many-d')).toHaveLength(1);
  });
});
