import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, cacheKey, ReadCache } from '#platform';

/** Every cached search answer carries this tag; any write to the index invalidates it. */
const INDEX_READS = 'search:index';

/**
 * Search answers cached in Redis until the index changes (or CACHE_TTL_MS), with single flight, so a
 * popular query costs the engine once however many shoppers send it. Instances sharing Redis share it.
 */
@Injectable()
export class SearchResultsCache {
  private readonly logger = new Logger('SearchResultsCache');

  private readonly enabled: boolean;

  constructor(
    private readonly cache: ReadCache,
    config: AppConfig,
  ) {
    this.enabled = config.get('SEARCH_CACHE');
  }

  read<T>(kind: 'results' | 'suggest', query: object, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) return compute();
    return this.cache.get(cacheKey(`search:${kind}`, query), [INDEX_READS], compute);
  }

  /** After every index write. Unreachable Redis leaves answers stale for at most their TTL. */
  async indexChanged(): Promise<void> {
    await this.cache.invalidate(INDEX_READS).catch((error: unknown) => this.logger.warn(`cached searches not invalidated: ${String(error)}`));
  }
}
