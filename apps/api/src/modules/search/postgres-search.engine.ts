import { Injectable } from '@nestjs/common';
import { type FacetCount, PRICE_BUCKETS, type SearchDocument, type SearchFacets, type SearchResult } from '#contracts';
import { type DocumentFilter, type FacetRow, SearchDocumentsRepository } from './search-documents.repository.js';
import { SearchRebuildRepository } from './search-rebuild.repository.js';
import { FACET_VALUES_MAX, FEW_HITS, rewriteWords, type SearchEngine, wordsOf } from './search.engine.js';

/** Relevance ranks at most this many matches; the rest of a broad word's matches still count in total and facets. */
export const RANKED_CANDIDATES = 1000;

type EngineQuery = Parameters<SearchEngine['search']>[0];

/** The embedded engine: PostgreSQL full text with a weighted tsvector, pg_trgm for typos. */
@Injectable()
export class PostgresSearchEngine implements SearchEngine {
  constructor(
    private readonly documents: SearchDocumentsRepository,
    private readonly rebuilds: SearchRebuildRepository,
  ) {}

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
      this.documents.facets(filter),
    ]);
    return { items, total: rows.find((r) => r.facet === 'total')?.count ?? 0, page, pageSize, facets: facetsOf(rows) };
  }

  /** The query with its unknown words replaced by the closest known ones, or null when nothing changes. */
  private async correct(q: string): Promise<string | null> {
    const words = [...new Set(wordsOf(q))].slice(0, 10);
    const rows = await this.documents.corrections(words);
    const corrections = new Map(rows.filter((r) => r.suggestion).map((r) => [r.word, r.suggestion!]));
    return corrections.size > 0 ? rewriteWords(q, corrections) : null;
  }
}

function facetsOf(rows: FacetRow[]): SearchFacets {
  const values = (facet: string): FacetCount[] =>
    rows
      .filter((r) => r.facet === facet && r.value !== null)
      .map((r) => ({ value: r.value!, label: r.label ?? r.value!, count: r.count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
      .slice(0, FACET_VALUES_MAX);
  const attributeNames = [...new Set(rows.filter((r) => r.facet.startsWith('attribute:')).map((r) => r.facet.slice('attribute:'.length)))].sort();
  return {
    category: values('category'),
    brand: values('brand'),
    price: PRICE_BUCKETS.map((bucket) => ({ ...bucket, count: rows.find((r) => r.facet === 'price' && r.value === bucket.key)?.count ?? 0 })),
    attributes: Object.fromEntries(attributeNames.map((name) => [name, values(`attribute:${name}`)])),
  };
}
