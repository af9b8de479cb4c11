import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CaptureMode, PaymentState } from '#contracts';

@Entity({ schema: 'payments', name: 'payments' })
export class Payment {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_payments_payments_order')
  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  /** Who asked for it: the owner may read it back. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** The caller's key for this business attempt: one payment per key, so a retry never starts a second one. */
  @Index('UQ_payments_payments_request_key', { unique: true })
  @Column({ name: 'request_key', type: 'varchar', length: 300 })
  requestKey!: string;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'integer', default: 0 })
  captured!: number;

  @Column({ type: 'integer', default: 0 })
  refunded!: number;

  @Column({ type: 'varchar', length: 24 })
  state!: PaymentState;

  @Column({ name: 'capture_mode', type: 'varchar', length: 16 })
  captureMode!: CaptureMode;

  /** The provider's id for the charge (the payment intent), once known; webhooks without our metadata find the payment by it. */
  @Index('IDX_payments_payments_provider_ref')
  @Column({ name: 'provider_ref', type: 'varchar', length: 255, nullable: true })
  providerRef!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
