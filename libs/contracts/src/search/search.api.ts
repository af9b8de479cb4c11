import type { CallContext } from '../call-context.js';

/**
 * One product as search sees it, denormalised by the catalog. Index writes are upserts keyed by
 * `productId`: sending the same document twice leaves one.
 */
export interface SearchDocument {
  productId: string;
  slug: string;
  name: string;
  description: string;
  brand: { slug: string; name: string } | null;
  /** The product's categories and all their ancestors, so filtering by a parent category matches. */
  categories: { slug: string; name: string }[];
  /** Integer minor units: the cheapest and dearest variant. */
  priceMin: number;
  priceMax: number;
  currency: string;
  inStock: boolean;
  /** e.g. { color: ['red'], size: ['M', 'L'] } */
  attributes: Record<string, string[]>;
  rating: number | null;
  imageUrl: string | null;
  /** ISO 8601. */
  createdAt: string;
}

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'name', 'rating'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SearchLimits = {
  queryMaxLength: 200,
  pageSizeDefault: 20,
  pageSizeMax: 100,
  pageMax: 100,
  suggestions: 10,
} as const;

export interface SearchQuery {
  /** websearch syntax: "exact phrase", a OR b, -excluded. */
  q?: string;
  /** A category slug; matches products in it or in any of its descendants. */
  category?: string;
  /** A brand slug. */
  brand?: string;
  /** Inclusive bounds on the product's lowest price, in minor units. */
  minPrice?: number;
  maxPrice?: number;
  /** Every named attribute must have one of the listed values. */
  attributes?: Record<string, string[]>;
  /** Default: relevance with a query, newest without. */
  sort?: SearchSort;
  page: number;
  pageSize: number;
}

export interface SearchHit {
  productId: string;
  slug: string;
  name: string;
  brand: { slug: string; name: string } | null;
  priceMin: number;
  priceMax: number;
  currency: string;
  inStock: boolean;
  rating: number | null;
  imageUrl: string | null;
  createdAt: string;
}

export interface FacetCount {
  value: string;
  /** What to show: a category's or brand's name; the value itself for attributes. */
  label: string;
  count: number;
}

/** A price range over `priceMin`, in minor units: from inclusive, to exclusive (null: no upper bound). */
export interface PriceBucket {
  key: string;
  from: number;
  to: number | null;
  count: number;
}

/** The fixed price ranges every engine counts (minor units): under 10, 10-25, 25-50, 50-100, 100-250, 250 and up. */
export const PRICE_BUCKETS: readonly Omit<PriceBucket, 'count'>[] = [
  { key: '0-1000', from: 0, to: 1000 },
  { key: '1000-2500', from: 1000, to: 2500 },
  { key: '2500-5000', from: 2500, to: 5000 },
  { key: '5000-10000', from: 5000, to: 10000 },
  { key: '10000-25000', from: 10000, to: 25000 },
  { key: '25000+', from: 25000, to: null },
];

export interface SearchFacets {
  category: FacetCount[];
  brand: FacetCount[];
  price: PriceBucket[];
  /** Per attribute name, its values. */
  attributes: Record<string, FacetCount[]>;
}

export interface SearchResult {
  items: SearchHit[];
  /** Matches across all pages; at least this many when `totalExact` is false. */
  total: number;
  /**
   * False when more matched than the engine counts exactly (the postgres engine stops at
   * SEARCH_COUNT_LIMIT, as Elasticsearch's track_total_hits does): `total` is then a lower bound
   * and the facets count that many matches, not all of them.
   */
  totalExact: boolean;
  page: number;
  pageSize: number;
  /** Counted over the matches of the query and filters (see totalExact), not just this page. */
  facets: SearchFacets;
  /** Set when the query found (almost) nothing and a corrected one was searched instead. */
  correctedQuery?: string;
}

export interface SearchApi {
  /** Upserts by productId. */
  index(ctx: CallContext, docs: SearchDocument[]): Promise<void>;
  /** Unknown ids are ignored. */
  remove(ctx: CallContext, productIds: string[]): Promise<void>;
  search(ctx: CallContext, query: SearchQuery): Promise<SearchResult>;
  /** Up to ten product names completing what was typed. */
  suggest(ctx: CallContext, q: string): Promise<string[]>;
}

export const SearchPatterns = {
  index: 'search.index',
  remove: 'search.remove',
  search: 'search.search',
  suggest: 'search.suggest',
} satisfies Record<keyof SearchApi, string>;

export const SEARCH_API = Symbol('SEARCH_API');
