import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row the outbox relay writes, committing and waiting for the WAL flush, before it publishes a
 * batch: PostgreSQL flushes the WAL in order, so every commit the batch's events came from is on
 * disk by then, relaxed ones included (see RELAX_COMMIT).
 */
@Entity({ schema: 'platform', name: 'outbox_barrier' })
export class OutboxBarrier {
  @PrimaryColumn('smallint') id!: number;
  @Column({ name: 'passed_at', type: 'timestamptz' }) passedAt!: Date;
}
