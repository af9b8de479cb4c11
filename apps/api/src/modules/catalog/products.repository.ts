import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, QueryFailedError } from 'typeorm';
import type { ProductStatus } from '#contracts';
import { type DomainEvent, EventPublisher } from '#platform';
import { Category } from './category.entity.js';
import { ProductCategory, ProductImage, SlugRedirect } from './product-links.entity.js';
import { Product } from './product.entity.js';
import { Variant } from './variant.entity.js';

export type NewProduct = Pick<Product, 'id' | 'slug' | 'name' | 'description' | 'brandId' | 'status' | 'attributes' | 'currency'>;
export type NewVariant = Omit<Variant, 'createdAt' | 'updatedAt'>;
export type NewImage = ProductImage;

/** What a write refused: a slug or SKU another row holds. */
export type Conflict = { conflict: 'slug' | 'sku'; value?: string };

function conflictOf(error: unknown): Conflict | null {
  if (!(error instanceof QueryFailedError)) return null;
  const { code, constraint, detail } = error.driverError as { code?: string; constraint?: string; detail?: string };
  if (code !== '23505') return null;
  const value = /=\((.*)\)/.exec(detail ?? '')?.[1];
  if (constraint === 'UQ_catalog_variants_sku') return { conflict: 'sku', value };
  return { conflict: 'slug', value };
}

export interface ProductGraph {
  products: Product[];
  variants: Variant[];
  images: ProductImage[];
  links: ProductCategory[];
  categories: Category[];
}

export type VariantFields = Pick<Variant, 'sku' | 'options' | 'priceAmount' | 'currency' | 'compareAtAmount' | 'weightGrams' | 'barcode' | 'inStock'>;

export type SellableVariantRow = VariantFields & {
  productId: string;
  productSlug: string;
  productName: string;
  status: ProductStatus;
  brandId: string | null;
  /** Materialised paths (ids root first, '/'-joined) of the product's categories. */
  categoryPaths: string[];
};

/** Products, their variants, images and category links: each write is one transaction with its event. */
@Injectable()
export class ProductsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  create(product: NewProduct, variants: NewVariant[], images: NewImage[], categoryIds: string[], event: DomainEvent): Promise<Product | Conflict> {
    return this.write(async (tx) => {
      await tx.insert(Product, product);
      if (variants.length) await tx.insert(Variant, variants);
      await replaceLinks(tx, product.id, images, categoryIds);
      await refreshSummary(tx, product.id);
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Product, { id: product.id });
    });
  }

  update(
    id: string,
    change: Partial<NewProduct>,
    links: { images?: NewImage[]; categoryIds?: string[]; variants?: NewVariant[] },
    oldSlug: string,
    event: DomainEvent,
  ): Promise<Product | Conflict> {
    return this.write(async (tx) => {
      if (Object.keys(change).length) await tx.update(Product, { id }, change);
      if (links.variants?.length) {
        // By id: a variant keeps its row; a new SKU that another product holds fails on its unique key.
        await tx.upsert(Variant, links.variants, ['id']);
        await refreshSummary(tx, id);
      }
      if (change.slug && change.slug !== oldSlug) {
        await tx.delete(SlugRedirect, { oldSlug: change.slug });
        await tx.upsert(SlugRedirect, { oldSlug, productId: id }, ['oldSlug']);
      }
      if (links.images) await tx.delete(ProductImage, { productId: id });
      if (links.categoryIds) await tx.delete(ProductCategory, { productId: id });
      await replaceLinks(tx, id, links.images ?? [], links.categoryIds ?? []);
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Product, { id });
    });
  }

  addVariant(variant: NewVariant, event: DomainEvent): Promise<Variant | Conflict> {
    return this.write(async (tx) => {
      await tx.insert(Variant, variant);
      await refreshSummary(tx, variant.productId);
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Variant, { id: variant.id });
    });
  }

  updateVariant(variant: Variant, change: Partial<NewVariant>, event: DomainEvent): Promise<Variant> {
    return this.dataSource.transaction(async (tx) => {
      await tx.update(Variant, { id: variant.id }, change);
      await refreshSummary(tx, variant.productId);
      await this.events.publish(tx, event);
      return tx.findOneByOrFail(Variant, { id: variant.id });
    });
  }

  async removeVariant(variant: Variant, event: DomainEvent): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.delete(Variant, { id: variant.id });
      await refreshSummary(tx, variant.productId);
      await this.events.publish(tx, event);
    });
  }

  findById(id: string): Promise<Product | null> {
    return this.dataSource.manager.findOneBy(Product, { id });
  }

  findBySlug(slug: string): Promise<Product | null> {
    return this.dataSource.manager.findOneBy(Product, { slug });
  }

  async redirectFor(oldSlug: string): Promise<string | null> {
    const redirect = await this.dataSource.manager.findOneBy(SlugRedirect, { oldSlug });
    if (!redirect) return null;
    return (await this.findById(redirect.productId))?.slug ?? null;
  }

  findVariant(sku: string): Promise<Variant | null> {
    return this.dataSource.manager.findOneBy(Variant, { sku });
  }

  findVariants(skus: string[]): Promise<Variant[]> {
    return skus.length ? this.dataSource.manager.findBy(Variant, { sku: In(skus) }) : Promise.resolve([]);
  }

  /**
   * Variants by SKU with what carts need of their product (status, brand, category paths), in one
   * statement: carts read this on every change.
   */
  /**
   * `IN (SELECT unnest(...))`, not `= ANY(...)`: as a prepared statement PostgreSQL keeps a generic
   * plan for it, while with `= ANY` it planned every execution anew (0.16 ms of 0.33 here, on every
   * cart change and checkout).
   */
  sellableVariants(skus: string[]): Promise<SellableVariantRow[]> {
    if (skus.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT v.sku, v.options, v.price_amount AS "priceAmount", v.currency, v.compare_at_amount AS "compareAtAmount",
              v.weight_grams AS "weightGrams", v.barcode, v.in_stock AS "inStock", p.id AS "productId", p.slug AS "productSlug",
              p.name AS "productName", p.status, p.brand_id AS "brandId",
              coalesce((SELECT array_agg(c.path) FROM catalog.product_categories pc JOIN catalog.categories c ON c.id = pc.category_id
                         WHERE pc.product_id = p.id), '{}') AS "categoryPaths"
         FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
        WHERE v.sku IN (SELECT unnest($1::varchar[]))`,
      [skus],
    );
  }

  /** Everything a page of products shows, in four queries whatever the page size. */
  async graph(products: Product[]): Promise<ProductGraph> {
    const ids = products.map((p) => p.id);
    if (ids.length === 0) return { products, variants: [], images: [], links: [], categories: [] };
    const manager = this.dataSource.manager;
    const [variants, images, links] = await Promise.all([
      manager.find(Variant, { where: { productId: In(ids) }, order: { position: 'ASC', sku: 'ASC' } }),
      manager.find(ProductImage, { where: { productId: In(ids) }, order: { position: 'ASC' } }),
      manager.findBy(ProductCategory, { productId: In(ids) }),
    ]);
    const categoryIds = [...new Set(links.map((l) => l.categoryId))];
    const categories = categoryIds.length ? await manager.findBy(Category, { id: In(categoryIds) }) : [];
    return { products, variants, images, links, categories };
  }

  /** Active product ids in id order after `after`, optionally of one brand or one category subtree. */
  async activeIds(query: { after?: string; limit: number; brandId?: string; categoryPath?: string }): Promise<string[]> {
    const qb = this.dataSource.manager.createQueryBuilder(Product, 'p').select('p.id', 'id').where(`p.status = 'active'`);
    if (query.after) qb.andWhere('p.id > :after', { after: query.after });
    if (query.brandId) qb.andWhere('p.brand_id = :brandId', { brandId: query.brandId });
    if (query.categoryPath) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM catalog.product_categories pc JOIN catalog.categories c ON c.id = pc.category_id
                  WHERE pc.product_id = p.id AND (c.path = :path OR c.path LIKE :subtree))`,
        { path: query.categoryPath, subtree: `${query.categoryPath}/%` },
      );
    }
    const rows = await qb.orderBy('p.id', 'ASC').limit(query.limit).getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  findByIds(ids: string[], activeOnly: boolean): Promise<Product[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.findBy(Product, activeOnly ? { id: In(ids), status: 'active' } : { id: In(ids) });
  }

  /** One page of active products matching the filter, and how many match in all. */
  async page(filter: ListingFilter): Promise<{ products: Product[]; total: number }> {
    const qb = this.dataSource.manager.createQueryBuilder(Product, 'p').where(`p.status = 'active'`);
    if (filter.brandId) qb.andWhere('p.brand_id = :brandId', { brandId: filter.brandId });
    if (filter.minPrice !== undefined) qb.andWhere('p.price_max >= :minPrice', { minPrice: filter.minPrice });
    if (filter.maxPrice !== undefined) qb.andWhere('p.price_min <= :maxPrice', { maxPrice: filter.maxPrice });
    if (filter.inStock) qb.andWhere('p.in_stock');
    if (filter.categoryPath) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM catalog.product_categories pc JOIN catalog.categories c ON c.id = pc.category_id
                  WHERE pc.product_id = p.id AND (c.path = :path OR c.path LIKE :subtree))`,
        { path: filter.categoryPath, subtree: `${filter.categoryPath}/%` },
      );
    }
    for (const [index, [key, values]] of Object.entries(filter.attributes ?? {}).entries()) {
      // Any of the values of one attribute, all of the attributes.
      qb.andWhere(`p.attributes -> :key${index} ?| :values${index}`, { [`key${index}`]: key, [`values${index}`]: values });
    }
    const [column, direction] = SORTS[filter.sort];
    qb.orderBy(column, direction, direction === 'ASC' ? 'NULLS LAST' : 'NULLS LAST').addOrderBy('p.id', 'ASC');
    qb.skip((filter.page - 1) * filter.pageSize).take(filter.pageSize);
    const [products, total] = await qb.getManyAndCount();
    return { products, total };
  }

  private async write<T>(work: (tx: EntityManager) => Promise<T>): Promise<T | Conflict> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      const conflict = conflictOf(error);
      if (conflict) return conflict;
      throw error;
    }
  }
}

export type ListingSort = 'newest' | 'price_asc' | 'price_desc' | 'name' | 'rating';

const SORTS: Record<ListingSort, [string, 'ASC' | 'DESC']> = {
  newest: ['p.created_at', 'DESC'],
  price_asc: ['p.price_min', 'ASC'],
  price_desc: ['p.price_max', 'DESC'],
  name: ['p.name', 'ASC'],
  rating: ['p.rating_average', 'DESC'],
};

export interface ListingFilter {
  categoryPath?: string;
  brandId?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  attributes?: Record<string, string[]>;
  sort: ListingSort;
  page: number;
  pageSize: number;
}

async function replaceLinks(tx: EntityManager, productId: string, images: NewImage[], categoryIds: string[]): Promise<void> {
  if (images.length) await tx.insert(ProductImage, images);
  if (categoryIds.length) await tx.insert(ProductCategory, categoryIds.map((categoryId) => ({ productId, categoryId })));
}

/** The product's price range and stock flag follow its variants. */
async function refreshSummary(tx: EntityManager, productId: string): Promise<void> {
  await tx.query(
    `UPDATE catalog.products p
        SET price_min = v.min_price, price_max = v.max_price, in_stock = coalesce(v.any_in_stock, false)
       FROM (SELECT min(price_amount) AS min_price, max(price_amount) AS max_price, bool_or(in_stock) AS any_in_stock
               FROM catalog.variants WHERE product_id = $1) v
      WHERE p.id = $1`,
    [productId],
  );
}
