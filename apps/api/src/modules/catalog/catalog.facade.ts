import { Injectable } from '@nestjs/common';
import type { CallContext, CatalogApi } from '#contracts';
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
}
