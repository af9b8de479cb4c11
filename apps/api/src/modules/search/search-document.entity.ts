import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A product, denormalised for search. `searchVector` is written by the repository's upsert from the
 * other columns (weights: A name, B brand and category names, C description).
 */
@Entity({ schema: 'search', name: 'documents' })
// GIN indexes need an operator class or a tsvector column TypeORM cannot declare: the migration
// creates them and schema sync leaves them alone.
@Index('IDX_search_documents_vector', { synchronize: false })
@Index('IDX_search_documents_name_trgm', { synchronize: false })
@Index('IDX_search_documents_category_slugs', { synchronize: false })
@Index('IDX_search_documents_attributes', { synchronize: false })
// Sort orders TypeORM cannot declare (DESC NULLS LAST, an expression): made by the migration too.
@Index('IDX_search_documents_rating', { synchronize: false })
@Index('IDX_search_documents_name_lower', { synchronize: false })
export class SearchDocumentRow {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'varchar', length: 200 })
  slug!: string;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Index('IDX_search_documents_brand_slug')
  @Column({ name: 'brand_slug', type: 'varchar', length: 200, nullable: true })
  brandSlug!: string | null;

  @Column({ name: 'brand_name', type: 'varchar', length: 300, nullable: true })
  brandName!: string | null;

  /** [{ slug, name }], the product's categories and their ancestors. */
  @Column({ type: 'jsonb' })
  categories!: { slug: string; name: string }[];

  /** The slugs of `categories`, for an indexed containment filter. */
  @Column({ name: 'category_slugs', type: 'text', array: true })
  categorySlugs!: string[];

  @Index('IDX_search_documents_price_min')
  @Column({ name: 'price_min', type: 'integer' })
  priceMin!: number;

  @Column({ name: 'price_max', type: 'integer' })
  priceMax!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'in_stock', type: 'boolean' })
  inStock!: boolean;

  /** { color: ['red'] } */
  @Column({ type: 'jsonb' })
  attributes!: Record<string, string[]>;

  @Column({ type: 'double precision', nullable: true })
  rating!: number | null;

  @Column({ name: 'image_url', type: 'text', nullable: true })
  imageUrl!: string | null;

  @Index('IDX_search_documents_created_at')
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /**
   * Every facet value of the product as one string (`c␟slug␟name`, `b␟slug␟name`, `a␟name␟value`,
   * ␟ = U+001F), written from the other columns: counting facets is one unnest, not jsonb parsing.
   */
  @Column({ name: 'facet_keys', type: 'text', array: true, default: () => "'{}'" })
  facetKeys!: string[];

  @Column({ name: 'search_vector', type: 'tsvector' })
  searchVector!: string;

  @Column({ name: 'indexed_at', type: 'timestamptz', default: () => 'now()' })
  indexedAt!: Date;
}
