import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RefundView } from '#contracts';

@Entity({ schema: 'payments', name: 'refunds' })
export class Refund {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_payments_refunds_payment')
  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Index('UQ_payments_refunds_request_key', { unique: true })
  @Column({ name: 'request_key', type: 'varchar', length: 300 })
  requestKey!: string;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: RefundView['state'];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
