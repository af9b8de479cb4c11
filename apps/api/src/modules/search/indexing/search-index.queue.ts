/** BullMQ queue that feeds the index from catalog events: retried, one product or one scope per job. */
export const SEARCH_INDEX_QUEUE = 'search-index';

export type SearchIndexJob =
  | { name: 'products'; data: { productIds: string[] } }
  | { name: 'scope'; data: { brandId?: string; categoryId?: string } };

export const SEARCH_INDEX_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;
