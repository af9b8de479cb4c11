import { InjectQueue, Processor, BullModule } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createTestDatabase, type TestDatabase, testEnv, testRedisUrl } from '#testing';
import { PlatformConfigModule } from '../config/config.module.js';
import { BoundedWorkerHost } from './bounded-worker-host.js';
import { PlatformQueueModule, QUEUE_PG_SCHEMA } from './queue.module.js';

const QUEUE = 'queue-spec';

@Processor(QUEUE)
class SumProcessor extends BoundedWorkerHost {
  async process(job: Job<{ a: number; b: number }>): Promise<number> {
    return job.data.a + job.data.b;
  }
}

@Injectable()
class Enqueuer {
  constructor(@InjectQueue(QUEUE) readonly queue: Queue) {}
}

@Module({ imports: [BullModule.registerQueue({ name: QUEUE })], providers: [SumProcessor, Enqueuer] })
class SumModule {}

async function runOneJob(env: ReturnType<typeof testEnv>): Promise<unknown> {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformConfigModule.forRoot(env), PlatformQueueModule, SumModule],
  }).compile();
  await moduleRef.init();
  try {
    // The platform's processors log their worker's errors (BoundedWorkerHost) instead of BullMQ printing them.
    expect(moduleRef.get(SumProcessor).worker.listenerCount('error')).toBe(1);
    const { queue } = moduleRef.get(Enqueuer);
    const job = await queue.add('sum', { a: 2, b: 3 });
    for (let i = 0; i < 100; i += 1) {
      const state = await queue.getJobState(job.id as string);
      if (state === 'completed') return (await queue.getJob(job.id as string))?.returnvalue;
      if (state === 'failed') throw new Error('job failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('job did not complete in 10 s');
  } finally {
    await moduleRef.close();
  }
}

describe('PlatformQueueModule', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('runs jobs on Redis when REDIS_URL is set', async () => {
    const env = testEnv({ DATABASE_URL: db.url, REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}queue-spec:` });
    expect(await runOneJob(env)).toBe(5);
  });

  it('runs jobs on PostgreSQL alone when REDIS_URL is unset', async () => {
    const prefix = `${process.env.FICUS_TEST_REDIS_PREFIX}queue-spec-pg:`;
    const env = testEnv({ DATABASE_URL: db.url, REDIS_URL: '', REDIS_KEY_PREFIX: prefix });
    expect(await runOneJob(env)).toBe(5);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const redis = new Redis(testRedisUrl());
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = $1`,
        [QUEUE_PG_SCHEMA],
      );
      expect(rows[0].tables).toBeGreaterThan(0);
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
    } finally {
      await client.end();
      await redis.quit();
    }
  });
});
