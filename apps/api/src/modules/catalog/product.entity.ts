import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProductStatus } from '#contracts';

@Entity({ schema: 'catalog', name: 'products' })
@Index('IDX_catalog_products_listing', ['status', 'createdAt'])
export class Product {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('UQ_catalog_products_slug', { unique: true })
  @Column({ type: 'varchar', length: 160 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Index('IDX_catalog_products_brand')
  @Column({ name: 'brand_id', type: 'uuid', nullable: true })
  brandId!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: ProductStatus;

  /** Facet values: `{ color: ['red'], material: ['cotton'] }`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, string[]>;

  /** Lowest and highest variant price (minor units), kept with the variants for sorting and filtering. */
  @Column({ name: 'price_min', type: 'integer', nullable: true })
  priceMin!: number | null;

  @Column({ name: 'price_max', type: 'integer', nullable: true })
  priceMax!: number | null;

  @Column({ type: 'char', length: 3, default: 'EUR' })
  currency!: string;

  @Column({ name: 'in_stock', type: 'boolean', default: false })
  inStock!: boolean;

  @Column({ name: 'rating_average', type: 'real', nullable: true })
  ratingAverage!: number | null;

  @Column({ name: 'rating_count', type: 'integer', default: 0 })
  ratingCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
