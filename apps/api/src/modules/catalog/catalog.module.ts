import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CATALOG_API } from '#contracts';
import { Brand } from './brand.entity.js';
import { CatalogCache } from './catalog-cache.js';
import { CatalogAdminController } from './catalog-admin.controller.js';
import { CatalogController } from './catalog.controller.js';
import { CatalogFacade } from './catalog.facade.js';
import { Category } from './category.entity.js';
import { CatalogImportService } from './import/catalog-import.service.js';
import { ImportBodySetup } from './import/import-body.setup.js';
import { ImportLookupsRepository } from './import/import-lookups.repository.js';
import { ProductCategory, ProductImage, SlugRedirect } from './product-links.entity.js';
import { Product } from './product.entity.js';
import { ProductReadsService } from './product-reads.service.js';
import { ProductsRepository } from './products.repository.js';
import { ProductsService } from './products.service.js';
import { TaxonomyRepository } from './taxonomy.repository.js';
import { TaxonomyService } from './taxonomy.service.js';
import { Variant } from './variant.entity.js';

/** Products, variants, brands and the category tree. Exports only CATALOG_API. */
@Module({
  imports: [TypeOrmModule.forFeature([Brand, Category, Product, Variant, ProductCategory, ProductImage, SlugRedirect])],
  controllers: [CatalogController, CatalogAdminController],
  providers: [
    CatalogCache,
    TaxonomyRepository,
    ProductsRepository,
    TaxonomyService,
    ProductsService,
    ProductReadsService,
    ImportLookupsRepository,
    CatalogImportService,
    ImportBodySetup,
    { provide: CATALOG_API, useClass: CatalogFacade },
  ],
  exports: [CATALOG_API],
})
export class CatalogModule {}
