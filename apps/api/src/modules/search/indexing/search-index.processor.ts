import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { systemContext } from '#contracts';
import { BoundedWorkerHost } from '#platform';
import { SEARCH_INDEX_QUEUE, type SearchIndexJob } from './search-index.queue.js';
import { SearchIndexer } from './search-indexer.js';

@Processor(SEARCH_INDEX_QUEUE, { concurrency: 4 })
export class SearchIndexProcessor extends BoundedWorkerHost {
  constructor(private readonly indexer: SearchIndexer) {
    super();
  }

  async process(job: Job<SearchIndexJob['data'], unknown, SearchIndexJob['name']>): Promise<unknown> {
    const ctx = systemContext(`search-index:${job.id}`);
    if (job.name === 'products') return this.indexer.syncProducts(ctx, (job.data as { productIds: string[] }).productIds);
    return { indexed: await this.indexer.syncAll(ctx, job.data as { brandId?: string; categoryId?: string }) };
  }
}
