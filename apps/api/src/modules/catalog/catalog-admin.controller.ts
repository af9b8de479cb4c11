import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles, UuidParam } from '#platform';
import { BrandDto, CategoryDto, ProductViewDto, VariantViewDto } from './dto/catalog.responses.js';
import { ProductInput, ProductUpdate, VariantInput, VariantUpdate } from './dto/product.dto.js';
import { BrandInput, BrandUpdate, CategoryInput, CategoryUpdate } from './dto/taxonomy.dto.js';
import { CatalogImportService } from './import/catalog-import.service.js';
import { ImportReportDto, ImportQuery } from './import/import.dto.js';
import { ImportFileBody } from './import/import-file.openapi.js';
import { IMPORT_ROUTE } from './import/import-body.setup.js';
import { ProductReadsService } from './product-reads.service.js';
import { ProductsService } from './products.service.js';
import { TaxonomyService } from './taxonomy.service.js';

@ApiTags('admin: catalog')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin')
export class CatalogAdminController {
  constructor(
    private readonly products: ProductsService,
    private readonly reads: ProductReadsService,
    private readonly taxonomy: TaxonomyService,
    private readonly imports: CatalogImportService,
  ) {}

  @Post('products') @ApiCreatedResponse({ type: ProductViewDto })
  createProduct(@Caller() ctx: CallContext, @Body() dto: ProductInput) { return this.products.create(ctx, dto); }

  @Get('products/:id') @ApiOkResponse({ type: ProductViewDto, description: 'Any status, drafts included' })
  getProduct(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.reads.byId(ctx, id); }

  @Patch('products/:id') @ApiOkResponse({ type: ProductViewDto, description: 'A new slug keeps the old one as a redirect' })
  updateProduct(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: ProductUpdate) { return this.products.update(ctx, id, dto); }

  @Delete('products/:id') @ApiOkResponse({ type: ProductViewDto, description: 'Archives (soft delete)' })
  archiveProduct(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.products.archive(ctx, id); }

  @Post('products/:id/variants') @ApiCreatedResponse({ type: VariantViewDto })
  addVariant(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: VariantInput) { return this.products.addVariant(ctx, id, dto); }

  @Patch('variants/:sku') @ApiOkResponse({ type: VariantViewDto })
  updateVariant(@Caller() ctx: CallContext, @Param('sku') sku: string, @Body() dto: VariantUpdate) { return this.products.updateVariant(ctx, sku, dto); }

  @Delete('variants/:sku') @HttpCode(204) @ApiNoContentResponse()
  removeVariant(@Caller() ctx: CallContext, @Param('sku') sku: string) { return this.products.removeVariant(ctx, sku); }

  @Get('brands') @ApiOkResponse({ type: [BrandDto] })
  brands(@Caller() ctx: CallContext) { return this.taxonomy.listBrands(ctx); }

  @Post('brands') @ApiCreatedResponse({ type: BrandDto })
  createBrand(@Caller() ctx: CallContext, @Body() dto: BrandInput) { return this.taxonomy.saveBrand(ctx, dto); }

  @Patch('brands/:id') @ApiOkResponse({ type: BrandDto })
  updateBrand(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: BrandUpdate) { return this.taxonomy.saveBrand(ctx, dto, id); }

  @Delete('brands/:id') @HttpCode(204) @ApiNoContentResponse()
  deleteBrand(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.taxonomy.deleteBrand(ctx, id); }

  @Post('categories') @ApiCreatedResponse({ type: CategoryDto })
  createCategory(@Caller() ctx: CallContext, @Body() dto: CategoryInput) { return this.taxonomy.createCategory(ctx, dto); }

  @Patch('categories/:id') @ApiOkResponse({ type: CategoryDto, description: 'A new parent moves the whole subtree' })
  updateCategory(@Caller() ctx: CallContext, @UuidParam('id') id: string, @Body() dto: CategoryUpdate) { return this.taxonomy.updateCategory(ctx, id, dto); }

  @Delete('categories/:id') @HttpCode(204) @ApiNoContentResponse()
  deleteCategory(@Caller() ctx: CallContext, @UuidParam('id') id: string) { return this.taxonomy.deleteCategory(ctx, id); }

  @Post('catalog/imports') @HttpCode(200) @RouteConfig(IMPORT_ROUTE) @ImportFileBody() @ApiOkResponse({ type: ImportReportDto, description: 'Good products imported, every bad line reported' })
  importProducts(@Caller() ctx: CallContext, @Headers('content-type') type: string, @Body() file: unknown, @Query() query: ImportQuery) { return this.imports.importBody(ctx, type, file, query); }
}
