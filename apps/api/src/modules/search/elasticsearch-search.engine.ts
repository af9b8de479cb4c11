import { errors, type estypes } from '@elastic/elasticsearch';
import { Injectable } from '@nestjs/common';
import { ElasticsearchService } from '@nestjs/elasticsearch';
import { type FacetCount, PRICE_BUCKETS, type SearchDocument, type SearchHit, type SearchResult, type SearchSort } from '#contracts';
import { ServiceUnavailableError } from '#platform';
import { FACET_VALUES_MAX, FEW_HITS, rewriteWords, type SearchEngine } from './search.engine.js';
import { INDEX_SETTINGS, PRODUCTS_MAPPING, SEARCH_ALIAS, type IndexedProduct } from './elasticsearch.mapping.js';

type EngineQuery = Parameters<SearchEngine['search']>[0];

const FIELDS = ['name^3', 'brand.name^2', 'categories.name^2', 'description'];
const SORT: Record<SearchSort, estypes.SortCombinations[]> = {
  relevance: ['_score', { createdAt: 'desc' }],
  price_asc: [{ priceMin: 'asc' }],
  price_desc: [{ priceMin: 'desc' }],
  newest: [{ createdAt: 'desc' }],
  name: [{ 'name.keyword': 'asc' }],
  rating: [{ rating: { order: 'desc', missing: '_last' } }],
};

interface TermsAgg {
  buckets: { key: string; doc_count: number }[];
}
interface RangeAgg {
  buckets: { key: string; doc_count: number }[];
}

/**
 * Elasticsearch through @nestjs/elasticsearch. Reads and writes go to the `products` alias, so
 * `rebuild` can fill a new index and swap the alias without downtime.
 */
@Injectable()
export class ElasticsearchSearchEngine implements SearchEngine {
  private ready: Promise<void> | null = null;

  constructor(private readonly es: ElasticsearchService) {}

  async index(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    await reachable(this.ensureIndex());
    await this.bulk(SEARCH_ALIAS, docs.flatMap((doc) => [{ index: { _index: SEARCH_ALIAS, _id: doc.productId } }, toIndexed(doc)]));
  }

  async remove(productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    await reachable(this.ensureIndex());
    await this.bulk(SEARCH_ALIAS, productIds.map((id) => ({ delete: { _index: SEARCH_ALIAS, _id: id } })));
  }

  async search(query: EngineQuery): Promise<SearchResult> {
    await reachable(this.ensureIndex());
    const response = await reachable(this.es.search<IndexedProduct>(searchRequest(query)));
    const result = toResult(query, response);
    const corrected = query.q && result.total < FEW_HITS ? correctionOf(query.q, response) : null;
    if (!corrected) return result;
    const retried = toResult(query, await reachable(this.es.search<IndexedProduct>(searchRequest({ ...query, q: corrected }))));
    return retried.total > result.total ? { ...retried, correctedQuery: corrected } : result;
  }

  async suggest(q: string, limit: number): Promise<string[]> {
    await reachable(this.ensureIndex());
    const response = await reachable(this.es.search<IndexedProduct>({
      index: SEARCH_ALIAS,
      size: limit,
      _source: ['name'],
      query: { match: { 'name.autocomplete': { query: q, operator: 'and' } } },
      collapse: { field: 'name.keyword' },
    }));
    return response.hits.hits.flatMap((hit) => (hit._source ? [hit._source.name] : []));
  }

  /**
   * Zero-downtime rebuild: a new index with the current mapping, filled in bulk from `batches`, then
   * the alias moves to it in one atomic update and the old indexes are deleted.
   */
  async rebuild(batches: AsyncIterable<SearchDocument[]>, now = Date.now()): Promise<void> {
    const index = `${SEARCH_ALIAS}-${now}`;
    await this.es.indices.create({ index, settings: INDEX_SETTINGS, mappings: PRODUCTS_MAPPING });
    for await (const docs of batches) {
      if (docs.length > 0) await this.bulk(index, docs.flatMap((doc) => [{ index: { _index: index, _id: doc.productId } }, toIndexed(doc)]));
    }
    await this.es.indices.refresh({ index });
    const old = (await this.es.indices.existsAlias({ name: SEARCH_ALIAS })) ? Object.keys(await this.es.indices.getAlias({ name: SEARCH_ALIAS })) : [];
    await this.es.indices.updateAliases({
      actions: [...old.map((name) => ({ remove: { index: name, alias: SEARCH_ALIAS } })), { add: { index, alias: SEARCH_ALIAS } }],
    });
    if (old.length > 0) await this.es.indices.delete({ index: old });
    this.ready = Promise.resolve();
  }

  /** The first index and its alias, once per process, when the cluster has none yet. */
  private ensureIndex(): Promise<void> {
    this.ready ??= (async () => {
      if (await this.es.indices.existsAlias({ name: SEARCH_ALIAS })) return;
      await this.es.indices.create({ index: `${SEARCH_ALIAS}-${Date.now()}`, settings: INDEX_SETTINGS, mappings: PRODUCTS_MAPPING, aliases: { [SEARCH_ALIAS]: {} } });
    })().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private async bulk(index: string, operations: estypes.BulkRequest['operations']): Promise<void> {
    const response = await reachable(this.es.bulk({ index, operations }));
    if (!response.errors) return;
    const failed = response.items.flatMap((item) => Object.values(item)).filter((r) => r.error && r.status !== 404);
    if (failed.length > 0) throw new Error(`Elasticsearch bulk failed for ${failed.length} item(s): ${failed[0]?.error?.reason ?? 'unknown'}`);
  }
}

/** A cluster that cannot be reached is a 503 with Retry-After, not a 500. */
async function reachable<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
      throw new ServiceUnavailableError(`The search engine is not answering: ${error.message}`);
    }
    throw error;
  }
}

/** websearch syntax, read the way PostgreSQL reads it: "phrase", a OR b, -excluded. */
export function parseWebsearch(q: string): { phrases: string[]; excluded: string[]; words: string[]; anyWord: boolean } {
  const phrases: string[] = [];
  const excluded: string[] = [];
  const words: string[] = [];
  let anyWord = false;
  for (const [, minus, phrase, word] of q.matchAll(/(-?)(?:"([^"]*)"|([^\s"]+))/g)) {
    const text = (phrase ?? word ?? '').trim();
    if (!text) continue;
    if (!phrase && text === 'OR') anyWord = true;
    else if (minus) excluded.push(text);
    else if (phrase !== undefined) phrases.push(text);
    else words.push(text);
  }
  return { phrases, excluded, words, anyWord };
}

export function searchRequest(query: EngineQuery): estypes.SearchRequest {
  const must: estypes.QueryDslQueryContainer[] = [];
  const mustNot: estypes.QueryDslQueryContainer[] = [];
  if (query.q) {
    const { phrases, excluded, words, anyWord } = parseWebsearch(query.q);
    for (const phrase of phrases) must.push({ multi_match: { query: phrase, type: 'phrase', fields: FIELDS } });
    if (words.length > 0) must.push({ multi_match: { query: words.join(' '), fields: FIELDS, fuzziness: 'AUTO', operator: anyWord ? 'or' : 'and' } });
    for (const text of excluded) mustNot.push({ multi_match: { query: text, type: 'phrase', fields: FIELDS } });
  }
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (query.category) filter.push({ term: { 'categories.slug': query.category } });
  if (query.brand) filter.push({ term: { 'brand.slug': query.brand } });
  if (query.minPrice !== undefined || query.maxPrice !== undefined) filter.push({ range: { priceMin: { gte: query.minPrice, lte: query.maxPrice } } });
  for (const [name, values] of Object.entries(query.attributes ?? {})) {
    filter.push({ terms: { attributePairs: values.map((value) => `${name}=${value}`) } });
  }
  return {
    index: SEARCH_ALIAS,
    from: (query.page - 1) * query.pageSize,
    size: query.pageSize,
    track_total_hits: true,
    query: { bool: { must: must.length > 0 ? must : [{ match_all: {} }], must_not: mustNot, filter } },
    sort: [...SORT[query.sort], { productId: 'asc' }],
    aggs: {
      category: { terms: { field: 'categoryFacet', size: FACET_VALUES_MAX } },
      brand: { terms: { field: 'brandFacet', size: FACET_VALUES_MAX } },
      price: { range: { field: 'priceMin', ranges: PRICE_BUCKETS.map(({ key, from, to }) => (to === null ? { key, from } : { key, from, to })) } },
      attributes: { terms: { field: 'attributePairs', size: 1000 } },
    },
    ...(query.q ? { suggest: { text: query.q, words: { term: { field: 'name', suggest_mode: 'missing' } } } } : {}),
  };
}

export function toIndexed(doc: SearchDocument): IndexedProduct {
  return {
    ...doc,
    categoryFacet: doc.categories.map((c) => `${c.slug}|${c.name}`),
    brandFacet: doc.brand ? [`${doc.brand.slug}|${doc.brand.name}`] : [],
    attributePairs: Object.entries(doc.attributes).flatMap(([name, values]) => values.map((value) => `${name}=${value}`)),
  };
}

function toResult(query: EngineQuery, response: estypes.SearchResponse<IndexedProduct>): SearchResult {
  const total = response.hits.total;
  const aggs = (response.aggregations ?? {}) as Record<string, TermsAgg | RangeAgg | undefined>;
  const split = (separator: string) => (bucket: { key: string; doc_count: number }) => {
    const at = bucket.key.indexOf(separator);
    return { head: bucket.key.slice(0, at), tail: bucket.key.slice(at + 1), count: bucket.doc_count };
  };
  const labelled = (agg: TermsAgg | undefined): FacetCount[] =>
    (agg?.buckets ?? []).map(split('|')).map(({ head, tail, count }) => ({ value: head, label: tail, count }));
  const attributes: Record<string, FacetCount[]> = {};
  for (const { head, tail, count } of (aggs.attributes?.buckets ?? []).map(split('='))) {
    (attributes[head] ??= []).push({ value: tail, label: tail, count });
  }
  const priceCounts = new Map((aggs.price?.buckets ?? []).map((b) => [b.key, b.doc_count]));
  return {
    items: response.hits.hits.flatMap((hit) => (hit._source ? [toHit(hit._source)] : [])),
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    totalExact: typeof total === 'number' || total?.relation !== 'gte',
    page: query.page,
    pageSize: query.pageSize,
    facets: {
      category: labelled(aggs.category),
      brand: labelled(aggs.brand),
      price: PRICE_BUCKETS.map((bucket) => ({ ...bucket, count: priceCounts.get(bucket.key) ?? 0 })),
      attributes: Object.fromEntries(Object.entries(attributes).map(([name, values]) => [name, values.slice(0, FACET_VALUES_MAX)]).sort(([a], [b]) => String(a).localeCompare(String(b)))),
    },
  };
}

function toHit(source: IndexedProduct): SearchHit {
  const { productId, slug, name, brand, priceMin, priceMax, currency, inStock, rating, imageUrl, createdAt } = source;
  return { productId, slug, name, brand, priceMin, priceMax, currency, inStock, rating, imageUrl, createdAt };
}

/** The query with each misspelt word replaced by the term suggester's best option, or null. */
function correctionOf(q: string, response: estypes.SearchResponse<IndexedProduct>): string | null {
  const entries = (response.suggest?.words ?? []) as estypes.SearchTermSuggest[];
  const corrections = new Map<string, string>();
  for (const entry of entries) {
    const options = Array.isArray(entry.options) ? entry.options : [entry.options];
    const best = options[0]?.text;
    if (best) corrections.set(q.slice(entry.offset, entry.offset + entry.length), best);
  }
  return corrections.size > 0 ? rewriteWords(q, corrections) : null;
}
