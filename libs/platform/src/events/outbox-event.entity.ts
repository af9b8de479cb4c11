import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A fact written in the same transaction as the change it describes, relayed after commit. */
@Entity({ schema: 'platform', name: 'outbox_events' })
@Index('outbox_events_pending_idx', ['availableAt'], { where: 'published_at IS NULL' })
export class OutboxEvent {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' }) occurredAt!: Date;
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' }) availableAt!: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
}
