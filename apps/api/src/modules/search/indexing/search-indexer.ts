import { Inject, Injectable } from '@nestjs/common';
import { CATALOG_API, type CallContext, type CatalogApi, type ProductIdQuery } from '#contracts';
import { SEARCH_ENGINE, type SearchEngine } from '../search.engine.js';
import { toSearchDocument } from './search-document.mapper.js';

const PAGE = 500;

/** Brings the index in line with the catalog for some products, a brand, a category subtree, or all. */
@Injectable()
export class SearchIndexer {
  constructor(
    @Inject(CATALOG_API) private readonly catalog: CatalogApi,
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
  ) {}

  /** Indexes the active ones of `productIds` as they are now, and removes the others (archived, drafts, gone). */
  async syncProducts(ctx: CallContext, productIds: string[]): Promise<{ indexed: number; removed: number }> {
    const unique = [...new Set(productIds)];
    const products = await this.catalog.getProducts(ctx, unique);
    const trails = await this.catalog.getCategoryTrails(ctx, [...new Set(products.flatMap((p) => p.categories.map((c) => c.id)))]);
    if (products.length) await this.engine.index(products.map((p) => toSearchDocument(p, trails)));
    const active = new Set(products.map((p) => p.id));
    const gone = unique.filter((id) => !active.has(id));
    if (gone.length) await this.engine.remove(gone);
    return { indexed: products.length, removed: gone.length };
  }

  /** Every active product matching `scope`, page by page; `onPage` reports progress. */
  async syncAll(ctx: CallContext, scope: Omit<ProductIdQuery, 'after' | 'limit'> = {}, onPage?: (indexed: number) => void): Promise<number> {
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const ids = await this.catalog.listProductIds(ctx, { ...scope, after, limit: PAGE });
      if (ids.length === 0) return total;
      total += (await this.syncProducts(ctx, ids)).indexed;
      onPage?.(total);
      after = ids[ids.length - 1];
    }
  }
}
