import { Inject, Injectable } from '@nestjs/common';
import { CATALOG_API, type CallContext, type CatalogApi, type ProductIdQuery, type SearchDocument } from '#contracts';
import { SEARCH_ENGINE, type SearchEngine } from '../search.engine.js';
import { SearchResultsCache } from '../search-results.cache.js';
import { toSearchDocument } from './search-document.mapper.js';

const PAGE = 500;

/** Brings the index in line with the catalog for some products, a brand, a category subtree, or all. */
@Injectable()
export class SearchIndexer {
  constructor(
    @Inject(CATALOG_API) private readonly catalog: CatalogApi,
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
    private readonly cache: SearchResultsCache,
  ) {}

  /** Indexes the active ones of `productIds` as they are now, and removes the others (archived, drafts, gone). */
  async syncProducts(ctx: CallContext, productIds: string[]): Promise<{ indexed: number; removed: number }> {
    const unique = [...new Set(productIds)];
    const docs = await this.documentsOf(ctx, unique);
    if (docs.length) await this.engine.index(docs);
    const active = new Set(docs.map((d) => d.productId));
    const gone = unique.filter((id) => !active.has(id));
    if (gone.length) await this.engine.remove(gone);
    await this.cache.indexChanged();
    return { indexed: docs.length, removed: gone.length };
  }

  /** Every active product matching `scope`, page by page; `onPage` reports progress. */
  async syncAll(ctx: CallContext, scope: Omit<ProductIdQuery, 'after' | 'limit'> = {}, onPage?: (indexed: number) => void): Promise<number> {
    let total = 0;
    for await (const docs of this.pages(ctx, scope)) {
      if (docs.length) await this.engine.index(docs);
      await this.cache.indexChanged();
      onPage?.((total += docs.length));
    }
    return total;
  }

  /**
   * The whole index rebuilt from the catalog beside the live one, which keeps serving; the engine
   * swaps them atomically at the end. Products changed meanwhile are written to both by the queue.
   */
  async rebuildAll(ctx: CallContext, onPage?: (indexed: number) => void): Promise<number> {
    let total = 0;
    const pages = this.pages(ctx, {});
    await this.engine.rebuild((async function* () {
      for await (const docs of pages) {
        yield docs;
        onPage?.((total += docs.length));
      }
    })());
    await this.cache.indexChanged();
    return total;
  }

  /** Documents of the active products matching `scope`, a page at a time; the next page is read while the caller writes this one. */
  private async *pages(ctx: CallContext, scope: Omit<ProductIdQuery, 'after' | 'limit'>): AsyncGenerator<SearchDocument[]> {
    const read = (after: string | undefined) => {
      const page = (async () => {
        const ids = await this.catalog.listProductIds(ctx, { ...scope, after, limit: PAGE });
        return { ids, docs: ids.length ? await this.documentsOf(ctx, ids) : [] };
      })();
      page.catch(() => undefined); // surfaces when awaited; never an unhandled rejection meanwhile
      return page;
    };
    let next = read(undefined);
    for (;;) {
      const { ids, docs } = await next;
      if (ids.length === 0) return;
      next = read(ids[ids.length - 1]);
      yield docs;
    }
  }

  private async documentsOf(ctx: CallContext, productIds: string[]): Promise<SearchDocument[]> {
    const products = await this.catalog.getProducts(ctx, productIds);
    const trails = await this.catalog.getCategoryTrails(ctx, [...new Set(products.flatMap((p) => p.categories.map((c) => c.id)))]);
    return products.map((p) => toSearchDocument(p, trails));
  }
}
