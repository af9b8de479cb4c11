import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, eventually, type TestDatabase } from '#testing';
import { databaseOptions } from './database-options.js';

describe('the database pool: idle connections above the minimum close, the minimum stays open (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** PostgreSQL's own count of the backends serving one pool (its application_name). */
  const backends = async (applicationName: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`, [applicationName])).rows[0].n);

  /** A pool of 4 made busy on all 4 connections, then left idle for ten idle timeouts. */
  async function afterQuietSpell(poolMin: number): Promise<{ busy: number; idle: number }> {
    const applicationName = `pool-spec-${randomUUID().slice(0, 8)}`;
    const dataSource = await new DataSource(databaseOptions({ url: db.url, poolMax: 4, poolMin, poolIdleTimeoutMs: 100, applicationName })).initialize();
    try {
      // Counted while all four run: with a 100 ms idle timeout they may close right after.
      const running = Promise.all(Array.from({ length: 4 }, () => dataSource.query('SELECT pg_sleep(0.5)')));
      let busy = 0;
      await eventually(async () => (busy = await backends(applicationName)) === 4, 5000, 20).catch(() => undefined);
      await running;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await eventually(async () => (await backends(applicationName)) === poolMin, 5000, 100).catch(() => undefined);
      return { busy, idle: await backends(applicationName) };
    } finally {
      await dataSource.destroy();
    }
  }

  it('without a minimum, every idle connection closes', async () => {
    expect(await afterQuietSpell(0)).toEqual({ busy: 4, idle: 0 });
  });

  it('with a minimum of 2, two stay open however long they sit idle', async () => {
    expect(await afterQuietSpell(2)).toEqual({ busy: 4, idle: 2 });
  });
});
