import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const DEFAULT_LOCATION = 'main';

/** Units of one SKU at one stock location. Available = on hand - reserved. */
@Entity({ schema: 'inventory', name: 'stock_levels' })
@Check('CHK_inventory_stock_levels_on_hand', 'on_hand >= 0')
@Check('CHK_inventory_stock_levels_reserved', 'reserved >= 0 AND reserved <= on_hand')
export class StockLevel {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku!: string;

  @PrimaryColumn({ type: 'varchar', length: 64, default: DEFAULT_LOCATION })
  location!: string;

  @Column({ name: 'on_hand', type: 'integer', default: 0 })
  onHand!: number;

  @Column({ type: 'integer', default: 0 })
  reserved!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
