import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ schema: 'catalog', name: 'variants' })
export class Variant {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_catalog_variants_product')
  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Index('UQ_catalog_variants_sku', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  /** Option values: `{ size: 'M', color: 'Red' }`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  options!: Record<string, string>;

  @Column({ name: 'price_amount', type: 'integer' })
  priceAmount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'compare_at_amount', type: 'integer', nullable: true })
  compareAtAmount!: number | null;

  @Column({ name: 'weight_grams', type: 'integer', nullable: true })
  weightGrams!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  barcode!: string | null;

  /** Stock belongs to inventory; this is its projection for listings, set from inventory's events. */
  @Column({ name: 'in_stock', type: 'boolean', default: true })
  inStock!: boolean;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
