import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { BrandChangedEvent, CategoryChangedEvent, ProductChangedEvent } from '#contracts';
import { OnDomainEvent } from '#platform';
import { SEARCH_INDEX_JOB_OPTIONS, SEARCH_INDEX_QUEUE } from './search-index.queue.js';

/**
 * Catalog events become index jobs. The jobs re-read the catalog, so a late or repeated event only
 * repeats an idempotent upsert; enqueueing fails loudly so the outbox retries the event.
 */
@Injectable()
export class CatalogEventsListener {
  constructor(@InjectQueue(SEARCH_INDEX_QUEUE) private readonly queue: Queue) {}

  @OnDomainEvent('catalog.product-created')
  @OnDomainEvent('catalog.product-updated')
  @OnDomainEvent('catalog.product-archived')
  async onProduct(event: ProductChangedEvent): Promise<void> {
    await this.queue.add('products', { productIds: [event.productId] }, SEARCH_INDEX_JOB_OPTIONS);
  }

  /** A renamed brand or a moved category changes the documents of every product under it. */
  @OnDomainEvent('catalog.brand-changed')
  async onBrand(event: BrandChangedEvent): Promise<void> {
    if (event.change === 'updated') await this.queue.add('scope', { brandId: event.brandId }, SEARCH_INDEX_JOB_OPTIONS);
  }

  @OnDomainEvent('catalog.category-changed')
  async onCategory(event: CategoryChangedEvent): Promise<void> {
    if (event.change === 'updated') await this.queue.add('scope', { categoryId: event.categoryId }, SEARCH_INDEX_JOB_OPTIONS);
  }
}
