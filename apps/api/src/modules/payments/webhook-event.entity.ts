import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** `stray`: about a charge of an attempt settled as never charged; an attempt to release it was queued. */
export type WebhookOutcome = 'applied' | 'ignored' | 'unmatched' | 'stray';

/** Every provider event taken in, once per (provider, event id): a redelivery finds its row and changes nothing. */
@Entity({ schema: 'payments', name: 'webhook_events' })
export class WebhookEvent {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  provider!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 255 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: WebhookOutcome;

  @Index('IDX_payments_webhook_events_received')
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
