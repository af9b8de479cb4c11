import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A product's place in the category tree (a product may sit in several categories). */
@Entity({ schema: 'catalog', name: 'product_categories' })
export class ProductCategory {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Index('IDX_catalog_product_categories_category')
  @PrimaryColumn({ name: 'category_id', type: 'uuid' })
  categoryId!: string;
}

@Entity({ schema: 'catalog', name: 'product_images' })
export class ProductImage {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_catalog_product_images_product')
  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'varchar', length: 300, default: '' })
  alt!: string;

  @Column({ type: 'integer', default: 0 })
  position!: number;
}

/** A slug a product used to have: its old URL answers with a redirect to the current one. */
@Entity({ schema: 'catalog', name: 'slug_redirects' })
export class SlugRedirect {
  @PrimaryColumn({ name: 'old_slug', type: 'varchar', length: 160 })
  oldSlug!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;
}
