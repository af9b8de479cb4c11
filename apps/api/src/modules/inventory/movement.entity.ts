import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MovementKind } from '#contracts';

/**
 * Append-only audit of stock changes. Each row carries its change to on hand and to reserved, so the
 * sums over a SKU and location always equal its stock level.
 */
@Entity({ schema: 'inventory', name: 'movements' })
@Index('IDX_inventory_movements_sku_at', ['sku', 'at'])
export class Movement {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: MovementKind;

  @Column({ name: 'on_hand_delta', type: 'integer' })
  onHandDelta!: number;

  @Column({ name: 'reserved_delta', type: 'integer' })
  reservedDelta!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  reference!: string | null;

  /** The user id, or "system" for jobs. */
  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
