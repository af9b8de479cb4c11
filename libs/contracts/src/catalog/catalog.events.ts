/** Every catalog write publishes one of these (v1) through the outbox. */
export interface ProductChangedEvent {
  name: 'catalog.product-created' | 'catalog.product-updated' | 'catalog.product-archived';
  version: 1;
  productId: string;
  slug: string;
  status: 'draft' | 'active' | 'archived';
}

export interface CategoryChangedEvent {
  name: 'catalog.category-changed';
  version: 1;
  categoryId: string;
  change: 'created' | 'updated' | 'deleted';
}

export interface BrandChangedEvent {
  name: 'catalog.brand-changed';
  version: 1;
  brandId: string;
  change: 'created' | 'updated' | 'deleted';
}

export const CatalogEvents = {
  productCreated: 'catalog.product-created',
  productUpdated: 'catalog.product-updated',
  productArchived: 'catalog.product-archived',
  categoryChanged: 'catalog.category-changed',
  brandChanged: 'catalog.brand-changed',
} as const;
