import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, type SearchDocument, SearchLimits, type SearchQuery, type SearchResult, SEARCH_SORTS } from '#contracts';
import { isUuid } from '#platform';
import { InvalidSearchDocumentError, InvalidSearchQueryError } from './search.errors.js';
import { SEARCH_ENGINE, type SearchEngine } from './search.engine.js';
import { SearchResultsCache } from './search-results.cache.js';


/**
 * The search use cases over whichever engine SEARCH_ENGINE chose. The rules live here, not in the
 * DTOs alone, because other contexts call through SEARCH_API without HTTP validation.
 */
@Injectable()
export class SearchService {
  constructor(
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
    private readonly cache: SearchResultsCache,
  ) {}

  /** A product sent twice in one batch is indexed once, as last sent. */
  async index(_ctx: CallContext, docs: SearchDocument[]): Promise<void> {
    const latest = new Map<string, SearchDocument>();
    for (const doc of docs) latest.set(doc.productId, checked(doc));
    await this.engine.index([...latest.values()].sort((a, b) => a.productId.localeCompare(b.productId)));
    await this.cache.indexChanged();
  }

  async remove(_ctx: CallContext, productIds: string[]): Promise<void> {
    const ids = [...new Set(productIds)].filter(isUuid);
    await this.engine.remove(ids);
    await this.cache.indexChanged();
  }

  async search(_ctx: CallContext, query: SearchQuery): Promise<SearchResult> {
    const q = query.q?.trim() || undefined;
    if (q && q.length > SearchLimits.queryMaxLength) throw new InvalidSearchQueryError(`q is longer than ${SearchLimits.queryMaxLength} characters`);
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw new InvalidSearchQueryError('minPrice must not be greater than maxPrice');
    }
    if (query.sort && !SEARCH_SORTS.includes(query.sort)) throw new InvalidSearchQueryError(`sort must be one of ${SEARCH_SORTS.join(', ')}`);
    const { page, pageSize } = query;
    if (!inRange(page, SearchLimits.pageMax)) throw new InvalidSearchQueryError(`page must be an integer from 1 to ${SearchLimits.pageMax}`);
    if (!inRange(pageSize, SearchLimits.pageSizeMax)) throw new InvalidSearchQueryError(`pageSize must be an integer from 1 to ${SearchLimits.pageSizeMax}`);
    const normalised = { ...query, q, sort: query.sort ?? (q ? 'relevance' : 'newest'), attributes: sortedValues(query.attributes) };
    return this.cache.read('results', normalised, () => this.engine.search(normalised));
  }

  async suggest(_ctx: CallContext, q: string): Promise<string[]> {
    const text = q.trim();
    if (text.length > SearchLimits.queryMaxLength) throw new InvalidSearchQueryError(`q is longer than ${SearchLimits.queryMaxLength} characters`);
    return text ? this.cache.read('suggest', { q: text }, () => this.engine.suggest(text, SearchLimits.suggestions)) : [];
  }
}

/** Attribute values in a canonical order, so `color=red&color=blue` and the reverse share a cache entry. */
function sortedValues(attributes: SearchQuery['attributes']): SearchQuery['attributes'] {
  return attributes && Object.fromEntries(Object.entries(attributes).map(([name, values]) => [name, [...values].sort()]));
}

const inRange = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;

function checked(doc: SearchDocument): SearchDocument {
  if (!isUuid(doc.productId)) throw new InvalidSearchDocumentError(String(doc.productId), 'productId is not a UUID');
  if (!Number.isInteger(doc.priceMin) || !Number.isInteger(doc.priceMax) || doc.priceMin < 0 || doc.priceMin > doc.priceMax) {
    throw new InvalidSearchDocumentError(doc.productId, 'prices must be integer minor units with priceMin <= priceMax');
  }
  const categories = [...new Map(doc.categories.map((c) => [c.slug, c])).values()];
  const attributes = Object.fromEntries(Object.entries(doc.attributes).map(([name, values]) => [name, [...new Set(values)]]));
  return { ...doc, categories, attributes };
}
