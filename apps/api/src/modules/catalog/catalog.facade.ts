import { Injectable } from '@nestjs/common';
import type { CallContext, CatalogApi, ProductIdQuery } from '#contracts';
import { ProductReadsService } from './product-reads.service.js';

/** CatalogApi for other contexts (search indexing, carts), behind CATALOG_API. */
@Injectable()
export class CatalogFacade implements CatalogApi {
  constructor(private readonly reads: ProductReadsService) {}

  getProducts(ctx: CallContext, productIds: string[]) {
    return this.reads.activeByIds(ctx, productIds);
  }

  getVariants(ctx: CallContext, skus: string[]) {
    return this.reads.variants(ctx, skus);
  }

  listProductIds(ctx: CallContext, query: ProductIdQuery) {
    return this.reads.activeIds(ctx, query);
  }

  getCategoryTrails(ctx: CallContext, categoryIds: string[]) {
    return this.reads.categoryTrails(ctx, categoryIds);
  }
}
