import { Injectable } from '@nestjs/common';
import { AppConfig } from '#platform';
import { type FacetCount, PRICE_BUCKETS, type SearchDocument, type SearchFacets, type SearchResult } from '#contracts';
import { type DocumentFilter, type FacetRow, SearchDocumentsRepository } from './search-documents.repository.js';
import { SearchRebuildRepository } from './search-rebuild.repository.js';
import { FACET_VALUES_MAX, FEW_HITS, rewriteWords, type SearchEngine, wordsOf } from './search.engine.js';

/** Relevance ranks at most this many matches; the rest of a broad word's matches still count in total and facets. */
export const RANKED_CANDIDATES = 500;

type EngineQuery = Parameters<SearchEngine['search']>[0];

/** The embedded engine: PostgreSQL full text with a weighted tsvector, pg_trgm for typos. */
@Injectable()
export class PostgresSearchEngine implements SearchEngine {
  /** Matches counted exactly, and over which facets are counted (SEARCH_COUNT_LIMIT). */
  private readonly countLimit: number;

  constructor(
    private readonly documents: SearchDocumentsRepository,
    private readonly rebuilds: SearchRebuildRepository,
    config: AppConfig,
  ) {
    this.countLimit = config.get('SEARCH_COUNT_LIMIT');
  }

  index(docs: SearchDocument[]): Promise<void> {
    return this.documents.upsert(docs);
  }

  remove(productIds: string[]): Promise<void> {
    return this.documents.remove(productIds);
  }

  async rebuild(batches: AsyncIterable<SearchDocument[]>): Promise<void> {
    const session = await this.rebuilds.begin();
    try {
      for await (const docs of batches) await this.rebuilds.fill(docs);
      await this.rebuilds.commit(session);
    } catch (error) {
      await this.rebuilds.abort(session);
      throw error;
    }
    await this.rebuilds.end(session);
  }

  async search(query: EngineQuery): Promise<SearchResult> {
    const result = await this.run(query);
    if (!query.q || result.total >= FEW_HITS) return result;
    const corrected = await this.correct(query.q);
    if (!corrected) return result;
    const retried = await this.run({ ...query, q: corrected });
    return retried.total > result.total ? { ...retried, correctedQuery: corrected } : result;
  }

  async suggest(q: string, limit: number): Promise<string[]> {
    const words = wordsOf(q).slice(-8);
    if (words.length === 0) return [];
    const names = await this.documents.namesByPrefix(words, q, limit);
    if (names.length < limit && q.length >= 3) {
      const seen = new Set(names.map((n) => n.toLowerCase()));
      const inside = await this.documents.namesContaining(q, limit);
      names.push(...inside.filter((n) => !seen.has(n.toLowerCase())).slice(0, limit - names.length));
    }
    if (names.length > 0) return names;
    const corrected = await this.correct(q);
    return corrected ? this.documents.namesByPrefix(wordsOf(corrected).slice(-8), corrected, limit) : [];
  }

  private async run(query: EngineQuery): Promise<SearchResult> {
    const { page, pageSize, sort } = query;
    // A query of punctuation alone ("&", "'") has no words: it filters nothing, like no query.
    const filter: DocumentFilter = { ...query, q: query.q && wordsOf(query.q).length > 0 ? query.q : undefined };
    const offset = (page - 1) * pageSize;
    const [items, rows] = await Promise.all([
      this.documents.hits({ filter, sort, offset, limit: pageSize, candidates: Math.max(RANKED_CANDIDATES, offset + pageSize) }),
      this.documents.facets(filter, this.countLimit),
    ]);
    const counted = rows.find((r) => r.facet === 'total')?.count ?? 0;
    const totalExact = counted <= this.countLimit;
    return { items, total: totalExact ? counted : this.countLimit, totalExact, page, pageSize, facets: facetsOf(rows) };
  }

  /** The query with its unknown words replaced by the closest known ones, or null when nothing changes. */
  private async correct(q: string): Promise<string | null> {
    const words = [...new Set(wordsOf(q))].slice(0, 10);
    const rows = await this.documents.corrections(words);
    const corrections = new Map(rows.filter((r) => r.suggestion).map((r) => [r.word, r.suggestion!]));
    return corrections.size > 0 ? rewriteWords(q, corrections) : null;
  }
}

const SEPARATOR = '\u001f';

/** Facets from the counted facet keys: `c␟slug␟name`, `b␟slug␟name`, `a␟name␟value`. */
function facetsOf(rows: FacetRow[]): SearchFacets {
  const byFacet = new Map<string, FacetCount[]>();
  for (const row of rows) {
    if (row.facet !== 'key' || row.value === null) continue;
    const [kind, key, label] = row.value.split(SEPARATOR) as [string, string, string];
    const facet = kind === 'c' ? 'category' : kind === 'b' ? 'brand' : `attribute:${key}`;
    const entry = kind === 'a' ? { value: label, label, count: row.count } : { value: key, label, count: row.count };
    byFacet.set(facet, [...(byFacet.get(facet) ?? []), entry]);
  }
  const values = (facet: string): FacetCount[] =>
    (byFacet.get(facet) ?? []).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, FACET_VALUES_MAX);
  const attributeNames = [...byFacet.keys()].filter((f) => f.startsWith('attribute:')).map((f) => f.slice('attribute:'.length)).sort();
  return {
    category: values('category'),
    brand: values('brand'),
    price: PRICE_BUCKETS.map((bucket) => ({ ...bucket, count: rows.find((r) => r.facet === 'price' && r.value === bucket.key)?.count ?? 0 })),
    attributes: Object.fromEntries(attributeNames.map((name) => [name, values(`attribute:${name}`)])),
  };
}
