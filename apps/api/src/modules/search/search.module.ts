import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SEARCH_API } from '#contracts';
import type { Env } from '#platform';
import { CatalogEventsListener } from './indexing/catalog-events.listener.js';
import { SEARCH_INDEX_QUEUE } from './indexing/search-index.queue.js';
import { SearchIndexProcessor } from './indexing/search-index.processor.js';
import { SearchIndexer } from './indexing/search-indexer.js';
import { PostgresSearchEngine } from './postgres-search.engine.js';
import { SearchDocumentRow } from './search-document.entity.js';
import { SearchDocumentsRepository } from './search-documents.repository.js';
import { SearchRebuildRepository } from './search-rebuild.repository.js';
import { SearchResultsCache } from './search-results.cache.js';
import { SearchTermRow } from './search-term.entity.js';
import { SearchController } from './search.controller.js';
import { SEARCH_ENGINE } from './search.engine.js';
import { SearchFacade } from './search.facade.js';
import { SearchService } from './search.service.js';

export interface SearchModuleDeps {
  /** A module exporting CATALOG_API, whose events and reads feed the index (in-process or a transport client). */
  catalog: Type | DynamicModule;
  engine: Env['SEARCH_ENGINE'];
}

/**
 * Product search over PostgreSQL or Elasticsearch (SEARCH_ENGINE), fed from catalog events through
 * a BullMQ queue. Exports only SEARCH_API.
 */
@Module({})
export class SearchModule {
  static register({ catalog, engine }: SearchModuleDeps): DynamicModule {
    return { module: SearchModule, ...searchModuleParts(catalog, engine) };
  }
}

const searchModuleParts = (catalog: Type | DynamicModule, engine: SearchModuleDeps['engine']) => ({
  imports: [
    catalog,
    BullModule.registerQueue({ name: SEARCH_INDEX_QUEUE }),
    TypeOrmModule.forFeature([SearchDocumentRow, SearchTermRow]),
    ...(engine === 'elasticsearch' ? [import('./elasticsearch-engine.module.js').then((m) => m.ElasticsearchEngineModule.register())] : []),
  ],
  controllers: [SearchController],
  providers: [
    SearchDocumentsRepository,
    SearchRebuildRepository,
    PostgresSearchEngine,
    ...(engine === 'elasticsearch' ? [] : [{ provide: SEARCH_ENGINE, useExisting: PostgresSearchEngine }]),
    SearchResultsCache,
    SearchService,
    SearchIndexer,
    CatalogEventsListener,
    SearchIndexProcessor,
    { provide: SEARCH_API, useClass: SearchFacade },
  ],
  exports: [SEARCH_API],
});
