// After the suite: drop every database this run created and delete its Redis keys.
import { Redis } from 'ioredis';
import pg from 'pg';
import { adminUrl } from './global-setup.mjs';
import { deleteKeysWithPrefix } from './redis-keys.mjs';

export default async function globalTeardown() {
  const run = process.env.FICUS_TEST_RUN;
  if (!run) return;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`ficus_test_${run}_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, process.env.FICUS_TEST_REDIS_PREFIX);
  } catch {
    // Redis not running: nothing of ours is in it.
  } finally {
    redis.disconnect();
  }
}
