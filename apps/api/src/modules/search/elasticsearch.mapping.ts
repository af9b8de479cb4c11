import type { estypes } from '@elastic/elasticsearch';
import type { SearchDocument } from '#contracts';

/** Reads and writes use this alias; the index behind it is `products-<timestamp>`. */
export const SEARCH_ALIAS = 'products';

/** A document as stored: the contract's fields plus keyword fields made for facets and filters. */
export interface IndexedProduct extends SearchDocument {
  /** `<slug>|<name>`: one terms aggregation yields the value and its label. */
  categoryFacet: string[];
  brandFacet: string[];
  /** `<name>=<value>`, e.g. `color=red`. */
  attributePairs: string[];
}

export const INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  analysis: {
    filter: {
      autocomplete_edge: { type: 'edge_ngram', min_gram: 1, max_gram: 20 },
    },
    analyzer: {
      // Like the PostgreSQL engine: whole words, case and accents folded, no stemming.
      folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
      // Index-time only: "jacket" is stored as j, ja, jac, ... so a typed prefix matches a whole word.
      autocomplete: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'autocomplete_edge'] },
    },
    normalizer: {
      folded_keyword: { type: 'custom', filter: ['lowercase', 'asciifolding'] },
    },
  },
};

const labelled: estypes.MappingProperty = {
  properties: {
    slug: { type: 'keyword' },
    name: { type: 'text', analyzer: 'folded' },
  },
};

export const PRODUCTS_MAPPING: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    productId: { type: 'keyword' },
    slug: { type: 'keyword' },
    name: {
      type: 'text',
      analyzer: 'folded',
      fields: {
        keyword: { type: 'keyword', normalizer: 'folded_keyword' },
        autocomplete: { type: 'text', analyzer: 'autocomplete', search_analyzer: 'folded' },
      },
    },
    description: { type: 'text', analyzer: 'folded' },
    brand: labelled,
    categories: labelled,
    priceMin: { type: 'integer' },
    priceMax: { type: 'integer' },
    currency: { type: 'keyword' },
    inStock: { type: 'boolean' },
    attributes: { type: 'object', enabled: false },
    rating: { type: 'float' },
    imageUrl: { type: 'keyword', index: false },
    createdAt: { type: 'date' },
    categoryFacet: { type: 'keyword' },
    brandFacet: { type: 'keyword' },
    attributePairs: { type: 'keyword' },
  },
};
