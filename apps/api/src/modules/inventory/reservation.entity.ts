import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReservationStatus } from '#contracts';

@Entity({ schema: 'inventory', name: 'reservations' })
@Index('UQ_inventory_reservations_held_reference', ['reference'], { unique: true, where: `status IN ('active', 'committed')` })
@Index('IDX_inventory_reservations_active_expiry', ['expiresAt'], { where: `status = 'active'` })
@Check('CHK_inventory_reservations_status', `status IN ('active', 'committed', 'released', 'expired')`)
export class Reservation {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  reference!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: ReservationStatus;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'release_reason', type: 'varchar', length: 200, nullable: true })
  releaseReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;
}

@Entity({ schema: 'inventory', name: 'reservation_lines' })
@Check('CHK_inventory_reservation_lines_quantity', 'quantity > 0')
export class ReservationLine {
  @PrimaryColumn({ name: 'reservation_id', type: 'uuid' })
  reservationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'integer' })
  quantity!: number;
}
