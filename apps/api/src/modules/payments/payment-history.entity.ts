import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentState } from '#contracts';

/** Every state change of a payment, in order. */
@Entity({ schema: 'payments', name: 'payment_history' })
export class PaymentHistory {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Index('IDX_payments_history_payment')
  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 24, nullable: true })
  fromState!: PaymentState | null;

  @Column({ name: 'to_state', type: 'varchar', length: 24 })
  toState!: PaymentState;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;
}
