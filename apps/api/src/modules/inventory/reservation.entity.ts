import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReservationStatus } from '#contracts';

@Entity({ schema: 'inventory', name: 'reservations' })
// A returned reservation no longer holds its reference, like a released one.
@Index('UQ_inventory_reservations_held_reference', ['reference'], { unique: true, where: `status IN ('active', 'committed')` })
@Index('IDX_inventory_reservations_active_expiry', ['expiresAt'], { where: `status = 'active'` })
// TypeORM compares checks by name only: a changed expression needs a new name to be generated into a migration.
@Check('CHK_inventory_reservations_known_status', `status IN ('active', 'committed', 'released', 'expired', 'returned')`)
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
