import { Injectable } from '@nestjs/common';
import type { CallContext, SearchApi, SearchDocument, SearchQuery } from '#contracts';
import { SearchService } from './search.service.js';

/** SearchApi for other contexts (the catalog feeds documents through it); behind SEARCH_API. */
@Injectable()
export class SearchFacade implements SearchApi {
  constructor(private readonly service: SearchService) {}

  index(ctx: CallContext, docs: SearchDocument[]) {
    return this.service.index(ctx, docs);
  }

  remove(ctx: CallContext, productIds: string[]) {
    return this.service.remove(ctx, productIds);
  }

  search(ctx: CallContext, query: SearchQuery) {
    return this.service.search(ctx, query);
  }

  suggest(ctx: CallContext, q: string) {
    return this.service.suggest(ctx, q);
  }
}
