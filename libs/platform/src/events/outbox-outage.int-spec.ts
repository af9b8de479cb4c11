import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createTestDatabase, eventually, TcpProxy, testEnv } from '#testing';
import { PlatformConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import type { DeliveredEvent } from './domain-event.js';
import { EventPublisher } from './event-publisher.js';
import { EventsModule } from './events.module.js';
import { OnDomainEvent } from './on-domain-event.js';
import { MetricsModule } from '../metrics/metrics.module.js';

@Injectable()
class Recorder {
  readonly received: DeliveredEvent[] = [];
  failNext = 0;

  @OnDomainEvent('spec.thing-happened')
  onThing(event: DeliveredEvent): void {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('consumer is down');
    }
    this.received.push(event);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

// Issue 2 asks for a prompt shutdown even with Redis gone; with the outbox on BullMQ, an event
// written during the outage must stay in the outbox, arrive once Redis is back, and not hold the exit.
describe('transactional outbox, bullmq while Redis is down', () => {
  it('keeps events in the outbox, delivers them once Redis is back, and still shuts down promptly', async () => {
    const db = await createTestDatabase();
    const redis = new TcpProxy('127.0.0.1', 6379);
    const port = await redis.start();
    const env = testEnv({ DATABASE_URL: db.url, OUTBOX_POLL_INTERVAL_MS: '50', OUTBOX_TRANSPORT: 'bullmq', REDIS_URL: `redis://127.0.0.1:${port}` });
    const app = await Test.createTestingModule({
      imports: [PlatformConfigModule.forRoot(env), MetricsModule, DatabaseModule, EventsModule],
      providers: [Recorder],
    }).compile();
    app.useLogger(false);
    await app.init();
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const recorder = app.get(Recorder);
    const pending = async () => (await dataSource.query('SELECT count(*)::int AS n FROM platform.outbox_events WHERE published_at IS NULL'))[0].n;
    try {
      await redis.cut();
      await dataSource.transaction((tx) => app.get(EventPublisher).publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'outage' }));
      await settle();
      expect(await pending()).toBe(1);
      expect(recorder.received).toEqual([]);

      await redis.restore();
      await eventually(() => recorder.received.length === 1, 30_000);
      // The job may run before the relay's transaction that marked its row commits.
      await eventually(async () => (await pending()) === 0, 10_000);

      await redis.cut();
      await dataSource.transaction((tx) => app.get(EventPublisher).publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'at-shutdown' }));
      await settle();
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(8000);
      const [row] = await (async () => {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          return (await client.query(`SELECT published_at FROM platform.outbox_events WHERE payload->>'thingId' = 'at-shutdown'`)).rows;
        } finally {
          await client.end();
        }
      })();
      expect(row).toEqual({ published_at: null });
    } finally {
      await app.close().catch(() => undefined);
      await redis.stop();
      await db.drop();
    }
  }, 60_000);
});
