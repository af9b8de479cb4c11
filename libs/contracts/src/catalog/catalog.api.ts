import type { CallContext } from '../call-context.js';

export type ProductStatus = 'draft' | 'active' | 'archived';

export interface Money {
  /** Integer minor units (cents). */
  amount: number;
  currency: string;
}

export interface VariantView {
  sku: string;
  options: Record<string, string>;
  price: Money;
  compareAtPrice: Money | null;
  weightGrams: number | null;
  barcode: string | null;
  inStock: boolean;
}

export interface CategoryRef {
  id: string;
  slug: string;
  name: string;
}

export interface ProductView {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  brand: { id: string; slug: string; name: string } | null;
  categories: CategoryRef[];
  images: { url: string; alt: string; position: number }[];
  attributes: Record<string, string[]>;
  rating: { average: number; count: number } | null;
  variants: VariantView[];
  inStock: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A variant as cart and checkout need it: what it is called and what it costs now. */
export interface SellableVariant extends VariantView {
  productId: string;
  productSlug: string;
  productName: string;
  purchasable: boolean;
  /** The product's brand, for promotions by brand. */
  brandId: string | null;
  /** The product's categories and every ancestor of them (a promotion on "Shoes" matches a trail shoe). */
  categoryIds: string[];
}

export interface ProductIdQuery {
  /** Ids greater than this one (keyset paging, ordered by id). */
  after?: string;
  limit: number;
  brandId?: string;
  /** Products in this category or any of its descendants. */
  categoryId?: string;
}

export interface CatalogApi {
  /** Active products by id (for indexing and carts); unknown or inactive ids are left out. */
  getProducts(ctx: CallContext, productIds: string[]): Promise<ProductView[]>;
  /** Variants by SKU with current prices; unknown SKUs are left out. */
  getVariants(ctx: CallContext, skus: string[]): Promise<SellableVariant[]>;
  /** Ids of active products, in id order, for walking the whole catalog or one brand or subtree. */
  listProductIds(ctx: CallContext, query: ProductIdQuery): Promise<string[]>;
  /** For each category id, its path from the root down to itself. */
  getCategoryTrails(ctx: CallContext, categoryIds: string[]): Promise<Record<string, CategoryRef[]>>;
}

export const CatalogPatterns = {
  getProducts: 'catalog.get-products',
  getVariants: 'catalog.get-variants',
  listProductIds: 'catalog.list-product-ids',
  getCategoryTrails: 'catalog.get-category-trails',
} satisfies Record<keyof CatalogApi, string>;

export const CATALOG_API = Symbol('CATALOG_API');
