import type { SearchDocument, SearchQuery, SearchResult } from '#contracts';

/**
 * The port both engines implement. The service has already normalised the query: q trimmed (absent
 * when blank), sort set, page and pageSize within limits, minPrice <= maxPrice.
 */
export interface SearchEngine {
  /** Idempotent upserts keyed by productId. */
  index(docs: SearchDocument[]): Promise<void>;
  remove(productIds: string[]): Promise<void>;
  /**
   * Rebuilds the whole index from `batches` beside the live one, which keeps answering searches and
   * taking writes; the new index replaces it in one atomic step at the end.
   */
  rebuild(batches: AsyncIterable<SearchDocument[]>): Promise<void>;
  search(query: SearchQuery & { sort: NonNullable<SearchQuery['sort']> }): Promise<SearchResult>;
  suggest(q: string, limit: number): Promise<string[]>;
}

export const SEARCH_ENGINE = Symbol('SEARCH_ENGINE');

/** Below this many hits a query is worth correcting ("did you mean"). */
export const FEW_HITS = 3;

/** Facet values listed per facet, most frequent first. */
export const FACET_VALUES_MAX = 50;

/** The words of what was typed: runs of letters and digits. Everything else is syntax or noise. */
export const wordsOf = (text: string): string[] => text.match(/[\p{L}\p{N}]+/gu) ?? [];

/** `text` with each word that has a correction replaced by it; quotes, OR and minus signs stay. */
export const rewriteWords = (text: string, corrections: Map<string, string>): string =>
  text.replace(/[\p{L}\p{N}]+/gu, (word) => corrections.get(word) ?? word);
