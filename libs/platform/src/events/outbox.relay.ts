import { InjectQueue } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { deliverEvent, type OutboxRow, toDeliveredEvent, withTimeout } from './deliver-event.js';
import type { DeliveredEvent } from './domain-event.js';
import { DOMAIN_EVENT_JOB_OPTIONS, DOMAIN_EVENTS_QUEUE } from './domain-events.queue.js';
import { DomainEventSubscriptions } from './on-domain-event.js';

export const OUTBOX_WRITTEN = 'ficus.outboxWritten';
const BATCH = 100;
/** What is due, oldest first; the caller adds its lock clause. */
const DUE = `SELECT id, name, version, payload, occurred_at, attempts FROM platform.outbox_events
  WHERE published_at IS NULL AND available_at <= now() ORDER BY occurred_at, id LIMIT $1`;
const MAX_BACKOFF_MS = 60_000;
/**
 * How long a nudge waits for more commits to join its pass: under load one pass takes many
 * transactions' events. 20 ms was tried (fewer passes at 200 checkouts/s) and halved the keyed
 * stock adjustments of bench:idempotency (557 -> 248 req/s, same window): 5 ms it stays.
 */
const NUDGE_DELAY_MS = 5;
/**
 * A write that commits and waits for its WAL flush (see OutboxBarrier): run after a batch is taken
 * and before anything acts on it, so no event leaves for a write that a crash of PostgreSQL could
 * still undo (a relaxed commit, RELAX_COMMIT, is visible before it is on disk).
 */
const BARRIER = `INSERT INTO platform.outbox_barrier (id, passed_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET passed_at = excluded.passed_at`;
/** Bounds a publish while Redis is unreachable (its client queues commands until it is back). */
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Relays committed outbox events in batches taken oldest first, rows locked with SKIP LOCKED so
 * two instances never take the same event. OUTBOX_TRANSPORT=bullmq: the batch is added to the
 * domain-events queue (jobId = outbox id, so a batch re-published after a crash adds no second job)
 * and marked published in the transaction that locked it; DomainEventsProcessor delivers and
 * BullMQ retries. in-process: the handlers run here, inside that transaction, and a failed or
 * timed-out handler is retried with exponential backoff. Either way ordering is not guaranteed (a
 * retried event does not hold back later ones) and delivery is at least once. Polls every
 * OUTBOX_POLL_INTERVAL_MS and a few milliseconds after a transaction that wrote events commits
 * (NUDGE_DELAY_MS, so that commits close together share a pass).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger('Outbox');
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failedPasses = 0;
  private readonly stopping = new AbortController();
  /** addBulk calls given up on but still queued in the Redis client, waiting for it to reconnect. */
  private unsettledPublishes = 0;
  /** Taken once every provider exists, at the first event. */
  private subscriptions: DomainEventSubscriptions | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly emitter: EventEmitter2,
    private readonly config: AppConfig,
    @InjectQueue(DOMAIN_EVENTS_QUEUE) private readonly queue: Queue,
    metrics: MetricsRegistry,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {
    dataSource.subscribers.push(this);
    // Without a listener BullMQ prints every connection error to the console while Redis is down.
    queue.on('error', (error: Error) => this.logger.warn(`${DOMAIN_EVENTS_QUEUE} queue: ${error.message}`));
    const pending = () => this.pendingCount();
    new Gauge({
      name: 'outbox_pending_events',
      help: 'Outbox events committed but not yet delivered (in-process) or enqueued (bullmq)',
      registers: [metrics.registry],
      async collect() {
        this.set(await pending().catch(() => -1));
      },
    });
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[OUTBOX_WRITTEN]) this.nudge();
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Before the pool closes (onApplicationShutdown), so a pass in progress can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // A publish waiting on an unreachable Redis gives up at once: its batch rolls back and stays in the outbox.
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    // The queue's close sends QUIT behind them, which would wait for Redis forever: drop them (their rows are still pending).
    if (this.unsettledPublishes > 0) await this.queue.disconnect().catch(() => undefined);
  }

  /** Whether a subscriber in this process wants one of `events` (by name and `when`). */
  wantsAny(events: readonly { name: string }[]): boolean {
    return events.some((event) => this.wanted(event as DeliveredEvent));
  }

  private wanted(event: DeliveredEvent): boolean {
    // The instances Nest's event loader subscribes, so the count matches the emitter's listeners.
    this.subscriptions ??= new DomainEventSubscriptions(
      [...this.discovery.getProviders(), ...this.discovery.getControllers()].filter((w) => w.instance && !w.isAlias).map((w) => w.instance as object),
      this.scanner,
    );
    return this.subscriptions.wanted(event, this.emitter.listenerCount(event.name));
  }

  /** Runs a delivery pass within NUDGE_DELAY_MS (or shortly after the current one). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // A pass due as soon anyway takes this commit's events too.
    if (this.timer && this.timerDueAt <= Date.now() + NUDGE_DELAY_MS) return;
    this.schedule(NUDGE_DELAY_MS);
  }

  /** Delivers (in-process) or enqueues (bullmq) what is due; resolves when the pass is over. Exposed for tests and scripts. */
  async drain(): Promise<number> {
    let delivered = 0;
    while (!this.stopped) {
      const { taken, done } = await this.deliverBatch();
      delivered += done;
      // A short batch took all that was due: no pass just to find nothing (what commits meanwhile nudges again).
      if (taken < BATCH) break;
    }
    return delivered;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .then(() => {
          this.failedPasses = 0;
        })
        .catch((error: unknown) => {
          // The database or the queue is down: say so once per backoff step, not every poll.
          this.failedPasses += 1;
          this.logger.warn(`delivery pass failed (${this.failedPasses} in a row): ${String(error)}`);
        })
        .finally(() => {
          this.running = null;
          const interval = this.config.get('OUTBOX_POLL_INTERVAL_MS');
          const next = this.failedPasses > 0 ? Math.min(MAX_BACKOFF_MS, interval * 2 ** this.failedPasses) : this.again ? NUDGE_DELAY_MS : interval;
          this.again = false;
          this.schedule(next);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async deliverBatch(): Promise<{ taken: number; done: number }> {
    return this.dataSource.transaction(async (tx) => {
      if (this.config.get('OUTBOX_TRANSPORT') === 'bullmq') return this.enqueue(tx);
      const rows = (await tx.query(`${DUE} FOR UPDATE SKIP LOCKED`, [BATCH])) as OutboxRow[];
      if (rows.length === 0) return { taken: 0, done: 0 };
      await this.dataSource.query(BARRIER);
      return { taken: rows.length, done: await this.deliverHere(tx, rows) };
    });
  }

  /**
   * Marks a batch published and adds its jobs in the same transaction: one statement takes and marks
   * the rows; a failure to add rolls the marks back, to be published again on the next pass (the
   * jobIds make that harmless).
   */
  private async enqueue(tx: EntityManager): Promise<{ taken: number; done: number }> {
    const [rows] = (await tx.query(
      `UPDATE platform.outbox_events o SET published_at = now(), attempts = o.attempts + 1
        FROM (${DUE} FOR UPDATE SKIP LOCKED) due WHERE o.id = due.id
        RETURNING o.id, o.name, o.version, o.payload, o.occurred_at, due.attempts`,
      [BATCH],
    )) as [OutboxRow[], number];
    if (rows.length === 0) return { taken: 0, done: 0 };
    // RETURNING has no order: add them oldest first, as they were taken.
    rows.sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // An event nothing here subscribes to, or that every handler's `when` turns down, is marked
    // published without a job. Every instance runs the same handlers and takes jobs from the one
    // queue, so such a job would be taken and completed with nothing done wherever it ran (when
    // contexts run as separate processes, each needs its own queue first, and then this filter per
    // queue: see the README).
    const wanted = rows.map(toDeliveredEvent).filter((event) => this.wanted(event));
    if (wanted.length === 0) return { taken: rows.length, done: rows.length };
    const jobs = wanted.map((event) => ({ name: event.name, data: event, opts: { ...DOMAIN_EVENT_JOB_OPTIONS, jobId: event.eventId } }));
    await this.dataSource.query(BARRIER);
    const publishing = this.queue.addBulk(jobs);
    this.unsettledPublishes += 1;
    publishing.then(
      () => (this.unsettledPublishes -= 1),
      () => (this.unsettledPublishes -= 1),
    );
    await withTimeout(publishing, ENQUEUE_TIMEOUT_MS, `publishing ${jobs.length} events to ${DOMAIN_EVENTS_QUEUE}`, this.stopping.signal);
    return { taken: rows.length, done: rows.length };
  }

  private async deliverHere(tx: EntityManager, rows: OutboxRow[]): Promise<number> {
    let delivered = 0;
    for (const row of rows) {
      try {
        await deliverEvent(this.emitter, toDeliveredEvent(row));
        await tx.query('UPDATE platform.outbox_events SET published_at = now(), attempts = attempts + 1 WHERE id = $1', [row.id]);
        delivered += 1;
      } catch (error) {
        const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** row.attempts);
        this.logger.warn(`handler of ${row.name} ${row.id} failed (attempt ${row.attempts + 1}), retry in ${backoff} ms: ${String(error)}`);
        await tx.query(
          `UPDATE platform.outbox_events SET attempts = attempts + 1, last_error = $2,
                  available_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1`,
          [row.id, String(error).slice(0, 2000), backoff],
        );
      }
    }
    return delivered;
  }

  private async pendingCount(): Promise<number> {
    const [row] = (await this.dataSource.query(
      'SELECT count(*)::int AS n FROM platform.outbox_events WHERE published_at IS NULL',
    )) as [{ n: number }];
    return row.n;
  }
}
