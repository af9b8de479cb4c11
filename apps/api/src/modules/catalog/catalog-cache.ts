import { Injectable, Logger } from '@nestjs/common';
import { OnDomainEvent, ReadCache } from '#platform';

/** Cache tags of catalog reads: any product write changes listings and details; any brand or category write, all of them. */
export const PRODUCT_READS = 'catalog:products';
export const TAXONOMY_READS = 'catalog:taxonomy';
/** Every public catalog read depends on both (a product shows its brand and category trail). */
export const CATALOG_READS = [PRODUCT_READS, TAXONOMY_READS] as const;

/**
 * Invalidates cached catalog reads after a write: at once from the use case, so the admin's next
 * read sees the change, and again from the outbox event, which is retried while Redis is away.
 */
@Injectable()
export class CatalogCache {
  private readonly logger = new Logger('CatalogCache');

  constructor(private readonly cache: ReadCache) {}

  /** After a commit; a Redis failure is logged, the event listener below retries it. */
  async productsChanged(): Promise<void> {
    await this.cache.invalidate(PRODUCT_READS).catch((error: unknown) => this.logger.warn(`invalidation deferred to the event: ${String(error)}`));
  }

  async taxonomyChanged(): Promise<void> {
    await this.cache.invalidate(TAXONOMY_READS, PRODUCT_READS).catch((error: unknown) => this.logger.warn(`invalidation deferred to the event: ${String(error)}`));
  }

  @OnDomainEvent('catalog.product-created')
  @OnDomainEvent('catalog.product-updated')
  @OnDomainEvent('catalog.product-archived')
  onProductEvent(): Promise<void> {
    return this.cache.invalidate(PRODUCT_READS);
  }

  @OnDomainEvent('catalog.category-changed')
  @OnDomainEvent('catalog.brand-changed')
  onTaxonomyEvent(): Promise<void> {
    return this.cache.invalidate(TAXONOMY_READS, PRODUCT_READS);
  }
}
