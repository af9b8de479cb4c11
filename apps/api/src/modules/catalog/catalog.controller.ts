import { Controller, Get, Param } from '@nestjs/common';
import { ApiMovedPermanentlyResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, HttpCache, Public } from '#platform';
import { CategoryDetailDto, CategoryNodeDto, ProductDetailDto, ProductPageDto } from './dto/catalog.responses.js';
import { ListProductsQuery } from './dto/list-products.query.js';
import { ProductQuery } from './dto/product-query.decorator.js';
import { CATALOG_READS } from './catalog-cache.js';
import { ProductReadsService } from './product-reads.service.js';
import { TaxonomyService } from './taxonomy.service.js';

@ApiTags('catalog')
@Public()
@HttpCache({ tags: CATALOG_READS })
@Controller()
export class CatalogController {
  constructor(
    private readonly reads: ProductReadsService,
    private readonly taxonomy: TaxonomyService,
  ) {}

  @Get('products') @ApiOkResponse({ type: ProductPageDto }) @ApiQuery({ name: 'attr.color', required: false, description: 'attr.<name>=v1,v2: any of the values' })
  list(@Caller() ctx: CallContext, @ProductQuery() query: ListProductsQuery) { return this.reads.list(ctx, query); }

  @Get('products/:slug') @ApiOkResponse({ type: ProductDetailDto }) @ApiMovedPermanentlyResponse({ description: 'An old slug: Location has the current URL' })
  detail(@Caller() ctx: CallContext, @Param('slug') slug: string) { return this.reads.bySlug(ctx, slug); }

  @Get('categories') @ApiOkResponse({ type: [CategoryNodeDto] })
  tree(@Caller() ctx: CallContext) { return this.taxonomy.tree(ctx); }

  @Get('categories/:slug') @ApiOkResponse({ type: CategoryDetailDto })
  category(@Caller() ctx: CallContext, @Param('slug') slug: string) { return this.taxonomy.bySlug(ctx, slug); }
}
