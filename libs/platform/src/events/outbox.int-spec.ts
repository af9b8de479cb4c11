import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { jest } from '@jest/globals';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createTestDatabase, eventually, TcpProxy, type TestDatabase, testEnv } from '#testing';
import { PlatformConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { RELAX_COMMIT } from '../database/relaxed-commit.js';
import { BackendMetricsModule, MetricsModule } from '../metrics/metrics.module.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import type { DeliveredEvent } from './domain-event.js';
import { DOMAIN_EVENTS_QUEUE } from './domain-events.queue.js';
import { EventPublisher } from './event-publisher.js';
import { EventsModule } from './events.module.js';
import { OnDomainEvent } from './on-domain-event.js';
import { OutboxRelay } from './outbox.relay.js';

@Injectable()
class Recorder {
  readonly received: DeliveredEvent[] = [];
  /** When each thing's event arrived (ms since the epoch). */
  readonly receivedAt = new Map<unknown, number>();
  failNext = 0;

  @OnDomainEvent('spec.thing-happened')
  onThing(event: DeliveredEvent): void {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('consumer is down');
    }
    this.received.push(event);
    this.receivedAt.set(event.thingId, Date.now());
  }
}

/** Wants only the events that say so: the others skip it, and need no job. */
@Injectable()
class PickyRecorder {
  readonly received: DeliveredEvent[] = [];

  @OnDomainEvent('spec.picky', { when: (event) => event.wanted === true })
  onPicky(event: DeliveredEvent): void {
    this.received.push(event);
  }
}

const TRANSPORTS = [
  { title: 'bullmq on Redis', env: { OUTBOX_TRANSPORT: 'bullmq' } },
  { title: 'bullmq on PostgreSQL (REDIS_URL unset)', env: { OUTBOX_TRANSPORT: 'bullmq', REDIS_URL: '' } },
  { title: 'in-process', env: { OUTBOX_TRANSPORT: 'in-process' } },
] as const;

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe.each(TRANSPORTS)('transactional outbox, $title (real PostgreSQL)', ({ env: transportEnv }) => {
  const viaQueue = transportEnv.OUTBOX_TRANSPORT === 'bullmq';
  let db: TestDatabase;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let events: EventPublisher;
  let recorder: Recorder;
  let queue: Queue;

  async function boot(pollMs = 50): Promise<INestApplicationContext> {
    const env = testEnv({ DATABASE_URL: db.url, OUTBOX_POLL_INTERVAL_MS: String(pollMs), ...transportEnv });
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformConfigModule.forRoot(env), MetricsModule, BackendMetricsModule, DatabaseModule, EventsModule],
      providers: [Recorder, PickyRecorder],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    return moduleRef;
  }

  const outboxRow = async (thingId: string) =>
    (await dataSource.query(`SELECT * FROM platform.outbox_events WHERE payload->>'thingId' = $1`, [thingId]))[0];
  const jobsOf = async (eventId: string) =>
    (await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).filter((job) => job.data.eventId === eventId);
  const publish = (thingId: string) => dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId }));

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await boot();
    dataSource = app.get<DataSource>(getDataSourceToken());
    events = app.get(EventPublisher);
    recorder = app.get(Recorder);
    queue = app.get<Queue>(getQueueToken(DOMAIN_EVENTS_QUEUE));
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });
  beforeEach(() => {
    recorder.received.length = 0;
    recorder.failNext = 0;
  });

  it('delivers an event once its transaction commits, once, with its id and time', async () => {
    await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'a1', total: 1299 }));
    await eventually(() => recorder.received.length === 1);
    const [event] = recorder.received as [DeliveredEvent];
    expect(event).toMatchObject({ name: 'spec.thing-happened', version: 1, thingId: 'a1', total: 1299 });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(event.occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    await eventually(async () => (await outboxRow('a1')).published_at !== null);
    expect((await outboxRow('a1')).attempts).toBe(1);
    await settle();
    expect(recorder.received).toHaveLength(1);
    const jobs = await jobsOf(event.eventId);
    if (viaQueue) {
      expect(jobs.map((job) => [job.id, job.name])).toEqual([[event.eventId, 'spec.thing-happened']]);
      expect(jobs[0]?.data).toEqual(event);
    } else {
      expect(jobs).toEqual([]);
    }
  });

  it('never delivers an event whose transaction rolled back', async () => {
    await expect(
      dataSource.transaction(async (tx) => {
        await events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'ghost' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await publish('real');
    await eventually(() => recorder.received.length === 1);
    await app.get(OutboxRelay).drain();
    await settle();
    expect(recorder.received.map((e) => e.thingId)).toEqual(['real']);
    expect(await outboxRow('ghost')).toBeUndefined();
  });

  it('hands an event over only after the WAL barrier that follows its commit (a relaxed commit is visible before it is on disk)', async () => {
    const committedAt = Date.now();
    await dataSource.transaction(async (tx) => {
      await tx.query(`SELECT ${RELAX_COMMIT}`);
      await events.publish(tx, { name: 'spec.thing-happened', version: 1, thingId: 'relaxed' });
    });
    await eventually(() => recorder.receivedAt.has('relaxed'));
    const [{ passed }] = (await dataSource.query(`SELECT (extract(epoch FROM passed_at) * 1000)::float8 AS passed FROM platform.outbox_barrier`)) as [{ passed: number }];
    expect(passed).toBeGreaterThanOrEqual(committedAt - 5);
    expect(passed).toBeLessThanOrEqual(recorder.receivedAt.get('relaxed')! + 5);
  });

  it('refuses to publish outside a transaction and rejects malformed names', async () => {
    await expect(events.publish(dataSource.manager, { name: 'spec.thing-happened', version: 1 })).rejects.toThrow(/open transaction/);
    await expect(dataSource.transaction((tx) => events.publish(tx, { name: 'ThingHappened', version: 1 }))).rejects.toThrow(/context/);
    await expect(dataSource.transaction((tx) => events.publish(tx, { name: 'spec.thing-happened', version: 0 }))).rejects.toThrow(/version/);
  });

  it('runs a pass right after a commit only for events someone here wants; the others wait for the poll', async () => {
    const relay = app.get(OutboxRelay);
    const nudge = jest.spyOn(relay, 'nudge');
    try {
      await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.nobody-listens', version: 1, thingId: 'not-nudged' }));
      await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.picky', version: 1, thingId: 'not-nudged-either', wanted: false }));
      events.written({ name: 'spec.nobody-listens' }, { name: 'spec.picky', wanted: false });
      expect(nudge).not.toHaveBeenCalled();
      await eventually(async () => (await outboxRow('not-nudged'))?.published_at !== null);
      await publish('nudged');
      expect(nudge).toHaveBeenCalledTimes(1);
      events.written({ name: 'spec.picky', wanted: true });
      expect(nudge).toHaveBeenCalledTimes(2);
    } finally {
      nudge.mockRestore();
    }
    await eventually(() => recorder.received.some((event) => event.thingId === 'nudged'));
  });

  it("hands a handler only the events its `when` wants, and enqueues no job for the others", async () => {
    const picky = app.get(PickyRecorder);
    const publishPicky = (thingId: string, wanted: boolean) => dataSource.transaction((tx) => events.publish(tx, { name: 'spec.picky', version: 1, thingId, wanted }));
    await publishPicky('picky-no', false);
    await publishPicky('picky-yes', true);
    await eventually(() => picky.received.length === 1);
    await eventually(async () => (await outboxRow('picky-no'))?.published_at !== null);
    await settle();
    expect(picky.received.map((event) => event.thingId)).toEqual(['picky-yes']);
    if (viaQueue) {
      expect(await jobsOf((await outboxRow('picky-no')).id)).toHaveLength(0);
      expect(await jobsOf((await outboxRow('picky-yes')).id)).toHaveLength(1);
    }
  });

  if (viaQueue) {
    it('retries the job of a failing consumer with backoff until it succeeds', async () => {
      recorder.failNext = 1;
      await publish('retry');
      const { id } = await (async () => {
        await eventually(async () => (await outboxRow('retry'))?.published_at !== null);
        return outboxRow('retry') as Promise<{ id: string }>;
      })();
      await eventually(() => recorder.received.length === 1, 15_000);
      expect(recorder.received[0]?.thingId).toBe('retry');
      await eventually(async () => (await queue.getJobState(id)) === 'completed');
      const [job] = await jobsOf(id);
      expect(job?.attemptsMade).toBe(2);
      expect(job?.failedReason).toMatch(/consumer is down/);
    });

    it('adds one job per event when the relay publishes a batch again (run twice, or crashed after enqueueing)', async () => {
      await publish('twice');
      await eventually(() => recorder.received.length === 1);
      const { id } = await outboxRow('twice');
      // The relay's commit was lost after its enqueue: the row is pending again and is published again.
      await dataSource.query('UPDATE platform.outbox_events SET published_at = NULL WHERE id = $1', [id]);
      expect(await app.get(OutboxRelay).drain()).toBeGreaterThanOrEqual(1);
      expect((await outboxRow('twice')).published_at).not.toBeNull();

      // A relay that dies between addBulk and its commit: the batch rolls back and is published again.
      const addBulk = queue.addBulk.bind(queue);
      const spy = jest.spyOn(queue, 'addBulk').mockImplementationOnce(async (jobs) => {
        await addBulk(jobs);
        throw new Error('relay crashed after enqueueing');
      });
      await publish('crash');
      await eventually(async () => (await outboxRow('crash'))?.published_at !== null);
      const crashed = await outboxRow('crash');
      expect(crashed.attempts).toBe(1);
      const published = spy.mock.calls.map(([jobs]) => jobs.map((job) => job.opts?.jobId));
      expect(published.slice(0, 2)).toEqual([[crashed.id], [crashed.id]]);
      spy.mockRestore();
      await eventually(() => recorder.received.length === 2);
      await settle();
      expect(recorder.received.map((e) => e.thingId)).toEqual(['twice', 'crash']);
      expect(await jobsOf(id)).toHaveLength(1);
      expect(await jobsOf(crashed.id)).toHaveLength(1);
    });

    it('marks an event nothing subscribes to published without adding a job for it', async () => {
      await dataSource.transaction((tx) => events.publish(tx, { name: 'spec.nobody-listens', version: 1, thingId: 'unheard' }));
      await publish('heard');
      await eventually(() => recorder.received.length === 1);
      await eventually(async () => (await outboxRow('unheard'))?.published_at !== null);
      expect(await jobsOf((await outboxRow('unheard')).id)).toHaveLength(0);
      expect(await jobsOf((await outboxRow('heard')).id)).toHaveLength(1);
    });

    it('shows the domain-events queue and the pending outbox in the metrics', async () => {
      const text = await app.get(MetricsRegistry).registry.metrics();
      expect(text).toMatch(/queue_jobs\{queue="domain-events",state="completed"\} [1-9]/);
      expect(text).toMatch(/outbox_pending_events 0/);
    });
  } else {
    it('keeps an event whose consumer fails and retries it later', async () => {
      recorder.failNext = 1;
      await publish('retry');
      await eventually(async () => (await outboxRow('retry'))?.attempts === 1);
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
  }

  it('delivers each event exactly once across two instances sharing the database', async () => {
    const second = await boot(10);
    try {
      const other = second.get(Recorder);
      const ids = Array.from({ length: 200 }, (_, i) => `n${i}`);
      for (let i = 0; i < ids.length; i += 20) {
        await dataSource.transaction((tx) =>
          events.publish(tx, ...ids.slice(i, i + 20).map((thingId) => ({ name: 'spec.thing-happened', version: 1, thingId }))),
        );
      }
      await eventually(() => recorder.received.length + other.received.length === 200, 30_000);
      await settle();
      const all = [...recorder.received, ...other.received].map((e) => e.thingId as string);
      expect(all).toHaveLength(200);
      expect(new Set(all).size).toBe(200);
    } finally {
      await second.close();
    }
  });
});

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
