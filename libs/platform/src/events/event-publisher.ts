import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import type { DomainEvent } from './domain-event.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { OUTBOX_WRITTEN } from './outbox.relay.js';

const NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/** Writes events into the caller's transaction; the relay delivers them once it has committed. */
@Injectable()
export class EventPublisher {
  async publish(tx: EntityManager, ...events: DomainEvent[]): Promise<void> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('EventPublisher.publish needs the EntityManager of an open transaction');
    }
    const rows = events.map(({ name, version, ...payload }) => {
      if (!NAME.test(name)) throw new Error(`event name "${name}" is not <context>.<fact-in-kebab-case>`);
      if (!Number.isInteger(version) || version < 1) throw new Error(`event ${name} needs an integer version >= 1`);
      // occurred_at and available_at default to the database clock, which the relay compares with.
      return { id: randomUUID(), name, version, payload };
    });
    // The payload is free-form JSON, which TypeORM's deep-partial type cannot express.
    await tx.insert(OutboxEvent, rows as QueryDeepPartialEntity<OutboxEvent>[]);
    // Read by OutboxRelay's afterTransactionCommit: deliver right after commit, not at the next poll.
    tx.queryRunner.data = { ...tx.queryRunner.data, [OUTBOX_WRITTEN]: true };
  }
}
