import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createTestDatabase, eventually, type TestDatabase, testEnv } from '#testing';
import { PlatformConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import type { DeliveredEvent } from './domain-event.js';
import { EventPublisher } from './event-publisher.js';
import { EventsModule } from './events.module.js';
import { OnDomainEvent } from './on-domain-event.js';
import { OutboxRelay } from './outbox.relay.js';

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

async function boot(db: TestDatabase, pollMs = 50): Promise<INestApplicationContext> {
  const env = testEnv({ DATABASE_URL: db.url, OUTBOX_POLL_INTERVAL_MS: String(pollMs) });
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformConfigModule.forRoot(env), MetricsModule, DatabaseModule, EventsModule],
    providers: [Recorder],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef;
}

describe('transactional outbox (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let events: EventPublisher;
  let recorder: Recorder;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await boot(db);
    dataSource = app.get<DataSource>(getDataSourceToken());
    events = app.get(EventPublisher);
    recorder = app.get(Recorder);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });
  beforeEach(() => {
    recorder.received.length = 0;
    recorder.failNext = 0;
  });

  it('delivers an event once its transaction commits, with its id and time', async () => {
    await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'a1', total: 1299 }));
    await eventually(() => recorder.received.length === 1);
    const [event] = recorder.received as [DeliveredEvent];
    expect(event).toMatchObject({ name: 'spec.thing-happened', version: 1, thingId: 'a1', total: 1299 });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(event.occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const published = async () =>
      (await dataSource.query('SELECT published_at, attempts FROM platform.outbox_events WHERE id = $1', [event.eventId]))[0];
    await eventually(async () => (await published()).published_at !== null);
    expect((await published()).attempts).toBe(1);
  });

  it('never delivers an event whose transaction rolled back', async () => {
    await expect(
      dataSource.transaction(async (tx) => {
        await events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'ghost' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'real' }));
    await eventually(() => recorder.received.length === 1);
    await app.get(OutboxRelay).drain();
    expect(recorder.received.map((e) => e.thingId)).toEqual(['real']);
  });

  it('refuses to publish outside a transaction and rejects malformed names', async () => {
    await expect(events.publish(dataSource.manager, { name: 'spec.thing-happened', version: 1 })).rejects.toThrow(/open transaction/);
    await expect(dataSource.transaction((tx) => events.publish(tx, { name: 'ThingHappened', version: 1 }))).rejects.toThrow(/context/);
    await expect(dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 0 }))).rejects.toThrow(/version/);
  });

  it('keeps an event whose consumer fails and retries it later', async () => {
    recorder.failNext = 1;
    await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'retry' }));
    await eventually(async () => {
      const [row] = await dataSource.query(`SELECT attempts FROM platform.outbox_events WHERE payload->>'thingId' = 'retry'`);
      return row?.attempts === 1;
    });
    const [failed] = await dataSource.query(
      `SELECT published_at, last_error, available_at > now() AS later FROM platform.outbox_events WHERE payload->>'thingId' = 'retry'`,
    );
    expect(failed).toMatchObject({ published_at: null, later: true });
    expect(failed.last_error).toMatch(/consumer is down/);
    expect(recorder.received).toEqual([]);

    await dataSource.query(`UPDATE platform.outbox_events SET available_at = now() WHERE payload->>'thingId' = 'retry'`);
    await eventually(() => recorder.received.length === 1);
    expect(recorder.received[0]?.thingId).toBe('retry');
  });

  it('delivers each event exactly once across two instances sharing the database', async () => {
    const second = await boot(db, 10);
    try {
      const other = second.get(Recorder);
      const ids = Array.from({ length: 200 }, (_, i) => `n${i}`);
      for (let i = 0; i < ids.length; i += 20) {
        await dataSource.transaction((tx) =>
          events.publish(tx, ...ids.slice(i, i + 20).map((thingId) => ({ name: 'spec.thing-happened', version: 1, thingId }))),
        );
      }
      await eventually(() => recorder.received.length + other.received.length === 200, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const all = [...recorder.received, ...other.received].map((e) => e.thingId as string);
      expect(all).toHaveLength(200);
      expect(new Set(all).size).toBe(200);
    } finally {
      await second.close();
    }
  });
});
