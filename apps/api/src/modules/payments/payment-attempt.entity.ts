import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type AttemptState = 'pending' | 'succeeded' | 'declined' | 'failed' | 'unknown';
/** `void_stray` / `refund_stray`: release a charge the provider made for an authorize attempt we had settled as never charged. */
export type AttemptKind = 'authorize' | 'capture' | 'void' | 'refund' | 'void_stray' | 'refund_stray';

/** One call to the provider, saved before it is made, with the key the provider deduplicates on. */
@Entity({ schema: 'payments', name: 'payment_attempts' })
@Index('IDX_payments_attempts_unsettled', ['state', 'updatedAt'])
export class PaymentAttempt {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_payments_attempts_payment')
  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: AttemptKind;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Index('UQ_payments_attempts_provider_key', { unique: true })
  @Column({ name: 'provider_key', type: 'varchar', length: 255 })
  providerKey!: string;

  /** Refund attempts only: the refund row it settles. */
  @Column({ name: 'refund_id', type: 'uuid', nullable: true })
  refundId!: string | null;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: AttemptState;

  @Column({ name: 'provider_ref', type: 'varchar', length: 255, nullable: true })
  providerRef!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
