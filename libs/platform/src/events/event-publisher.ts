import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import type { DomainEvent } from './domain-event.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { OUTBOX_WRITTEN, OutboxRelay } from './outbox.relay.js';

/** An event as its writer knows it after the statement: the name, and at least the fields subscribers filter on. */
export type WrittenEvent = Pick<DomainEvent, 'name'> & Partial<DomainEvent>;

const NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/**
 * A data-modifying CTE that inserts the rows of `EventPublisher.rows` (a JSON array bound as `param`)
 * into the outbox when `when` holds: for a repository that writes its change and its events in one
 * statement, without a transaction round trip.
 */
export const outboxInsert = (param: string, when = 'true') => `
  INSERT INTO platform.outbox_events (id, name, version, payload)
  SELECT e.id, e.name, e.version, e.payload FROM jsonb_to_recordset(${param}::jsonb) AS e(id uuid, name text, version int, payload jsonb)
  WHERE ${when}`;

/** The same for events the statement makes itself: `select` yields (name, version, payload) rows. */
export const outboxInsertOf = (select: string) => `
  INSERT INTO platform.outbox_events (id, name, version, payload)
  SELECT gen_random_uuid(), e.name, e.version, e.payload FROM (${select}) AS e(name, version, payload)`;

/** Writes events into the caller's transaction; the relay delivers them once it has committed. */
@Injectable()
export class EventPublisher {
  constructor(@Optional() private readonly relay?: OutboxRelay) {}

  async publish(tx: EntityManager, ...events: DomainEvent[]): Promise<void> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('EventPublisher.publish needs the EntityManager of an open transaction');
    }
    // The payload is free-form JSON, which TypeORM's deep-partial type cannot express.
    await tx.insert(OutboxEvent, outboxRows(events) as QueryDeepPartialEntity<OutboxEvent>[]);
    // Read by OutboxRelay's afterTransactionCommit: deliver right after commit, not at the next poll.
    if (this.relay?.wantsAny(events)) tx.queryRunner.data = { ...tx.queryRunner.data, [OUTBOX_WRITTEN]: true };
  }

  /** The events as the JSON array `outboxInsert` takes; call `written(...)` once the statement has committed. */
  rows(...events: DomainEvent[]): string {
    return JSON.stringify(outboxRows(events));
  }

  /**
   * Events a single statement wrote (outside a transaction, so no commit hook saw them): delivered
   * now, not at the next poll, when a subscriber here wants one of them. Give each its name and the
   * fields a subscriber's `when` reads; one wanted by nobody waits for the poll (OUTBOX_POLL_INTERVAL_MS),
   * which marks it published without a job, so no relay pass runs just for it.
   */
  written(...events: WrittenEvent[]): void {
    if (this.relay?.wantsAny(events)) this.relay.nudge();
  }
}

function outboxRows(events: DomainEvent[]) {
  return events.map(({ name, version, ...payload }) => {
    if (!NAME.test(name)) throw new Error(`event name "${name}" is not <context>.<fact-in-kebab-case>`);
    if (!Number.isInteger(version) || version < 1) throw new Error(`event ${name} needs an integer version >= 1`);
    // occurred_at and available_at default to the database clock, which the relay compares with.
    return { id: randomUUID(), name, version, payload };
  });
}
