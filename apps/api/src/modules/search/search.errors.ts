import { DomainError } from '#platform';

export class InvalidSearchQueryError extends DomainError {
  constructor(detail: string) {
    super('SEARCH.INVALID_QUERY', 'bad_request', detail);
  }
}

export class InvalidSearchDocumentError extends DomainError {
  constructor(productId: string, detail: string) {
    super('SEARCH.INVALID_DOCUMENT', 'bad_request', `Document ${productId}: ${detail}`, { productId });
  }
}

export class SearchRebuildRunningError extends DomainError {
  constructor() {
    super('SEARCH.REBUILD_RUNNING', 'conflict', 'Another full rebuild of the search index is running; try again when it has finished');
  }
}
