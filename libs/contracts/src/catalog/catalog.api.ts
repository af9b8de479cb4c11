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
}

export interface CatalogApi {
  /** Active products by id (for indexing and carts); unknown or inactive ids are left out. */
  getProducts(ctx: CallContext, productIds: string[]): Promise<ProductView[]>;
  /** Variants by SKU with current prices; unknown SKUs are left out. */
  getVariants(ctx: CallContext, skus: string[]): Promise<SellableVariant[]>;
}

export const CatalogPatterns = {
  getProducts: 'catalog.get-products',
  getVariants: 'catalog.get-variants',
} satisfies Record<keyof CatalogApi, string>;

export const CATALOG_API = Symbol('CATALOG_API');
