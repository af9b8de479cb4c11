import { type DynamicModule, Module } from '@nestjs/common';
import { ElasticsearchModule } from '@nestjs/elasticsearch';
import { AppConfig } from '#platform';
import { ElasticsearchSearchEngine } from './elasticsearch-search.engine.js';
import { SEARCH_ENGINE } from './search.engine.js';

/**
 * The Elasticsearch engine and its client. Loaded (with the client's packages) only when
 * SEARCH_ENGINE=elasticsearch: the client alone is a tenth of the API's boot time.
 */
@Module({})
export class ElasticsearchEngineModule {
  static register(): DynamicModule {
    return {
      module: ElasticsearchEngineModule,
      imports: [
        ElasticsearchModule.registerAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ node: config.get('ELASTICSEARCH_URL') ?? 'http://127.0.0.1:9200', requestTimeout: 5000, maxRetries: 1 }),
        }),
      ],
      providers: [ElasticsearchSearchEngine, { provide: SEARCH_ENGINE, useExisting: ElasticsearchSearchEngine }],
      exports: [SEARCH_ENGINE],
    };
  }
}
