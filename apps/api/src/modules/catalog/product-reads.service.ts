import { Injectable } from '@nestjs/common';
import type { CallContext, CategoryRef, ProductIdQuery, ProductView, SellableVariant } from '#contracts';
import { API_PREFIX, cacheKey, DomainError, ReadCache } from '#platform';
import { CATALOG_READS } from './catalog-cache.js';
import { NotFoundInCatalogError } from './catalog.errors.js';
import type { ListProductsQuery } from './dto/list-products.query.js';
import type { Product } from './product.entity.js';
import { ProductsRepository } from './products.repository.js';
import { toProductViews, toVariantView } from './product.view.js';
import { TaxonomyRepository } from './taxonomy.repository.js';
import { TaxonomyService } from './taxonomy.service.js';

/** An old slug: the product lives at its new URL now. */
export class ProductMovedError extends DomainError {
  constructor(slug: string) {
    super('CATALOG.PRODUCT_MOVED', 'moved_permanently', `This product is now at /${API_PREFIX}/products/${slug}`, { slug }, {
      location: `/${API_PREFIX}/products/${slug}`,
    });
  }
}

export interface ProductDetail extends ProductView {
  /** The path to the product's first category, root first. */
  breadcrumbs: CategoryRef[];
}

export interface ProductPage {
  items: ProductView[];
  total: number;
  page: number;
  pageSize: number;
}

const detailKey = (slug: string) => cacheKey('catalog:product', { slug });

/** Public product reads: listing pages and detail, in a bounded number of queries. */
@Injectable()
export class ProductReadsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly taxonomyRepository: TaxonomyRepository,
    private readonly taxonomy: TaxonomyService,
    private readonly cache: ReadCache,
  ) {}

  /**
   * Cached per normalised query until a catalog write. Computing a page builds the view of every
   * product on it, so their details are cached on the way: the product a shopper opens from a
   * listing is usually read without the database.
   */
  list(ctx: CallContext, query: ListProductsQuery): Promise<ProductPage> {
    return this.cache.get(cacheKey('catalog:list', { ...query }), CATALOG_READS, async (also) => {
      const page = await this.listUncached(ctx, query);
      for (const detail of await this.withBreadcrumbs(page.items)) also.store(detailKey(detail.slug), detail);
      return page;
    });
  }

  /** Cached per slug; an old slug's redirect and a 404 are not cached. */
  bySlug(ctx: CallContext, slug: string): Promise<ProductDetail> {
    return this.cache.get(detailKey(slug), CATALOG_READS, () => this.bySlugUncached(ctx, slug));
  }

  /** Unknown category or brand slugs match nothing: an empty page, not an error. */
  private async listUncached(_ctx: CallContext, query: ListProductsQuery): Promise<ProductPage> {
    const empty = { items: [], total: 0, page: query.page, pageSize: query.pageSize };
    const category = query.category ? await this.taxonomyRepository.findCategory({ slug: query.category }) : null;
    if (query.category && !category) return empty;
    const brand = query.brand ? await this.taxonomyRepository.findBrand({ slug: query.brand }) : null;
    if (query.brand && !brand) return empty;
    const { products, total } = await this.products.page({
      categoryPath: category?.path,
      brandId: brand?.id,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      inStock: query.inStock,
      attributes: query.attributes,
      sort: query.sort === 'relevance' ? 'newest' : query.sort,
      page: query.page,
      pageSize: query.pageSize,
    });
    return { items: await this.views(products), total, page: query.page, pageSize: query.pageSize };
  }

  private async bySlugUncached(_ctx: CallContext, slug: string): Promise<ProductDetail> {
    const product = await this.products.findBySlug(slug);
    if (!product || product.status !== 'active') {
      const moved = product ? null : await this.products.redirectFor(slug);
      if (moved) throw new ProductMovedError(moved);
      throw new NotFoundInCatalogError('product', slug);
    }
    const [detail] = await this.withBreadcrumbs(await this.views([product]));
    return detail as ProductDetail;
  }

  /** Any status (admin). */
  async byId(_ctx: CallContext, id: string): Promise<ProductView> {
    const [product] = await this.products.findByIds([id], false);
    if (!product) throw new NotFoundInCatalogError('product', id);
    return (await this.views([product]))[0] as ProductView;
  }

  async activeByIds(_ctx: CallContext, ids: string[]): Promise<ProductView[]> {
    return this.views(await this.products.findByIds(ids, true));
  }

  async variants(_ctx: CallContext, skus: string[]): Promise<SellableVariant[]> {
    return (await this.products.sellableVariants(skus)).map(({ status, categoryPaths, productId, productSlug, productName, brandId, ...variant }) => ({
      ...toVariantView(variant),
      productId,
      productSlug,
      productName,
      purchasable: status === 'active',
      brandId,
      // A category's path holds its ancestors' ids: a promotion on a parent category matches.
      categoryIds: [...new Set(categoryPaths.flatMap((path) => path.split('/')))],
    }));
  }

  /** An unknown category matches nothing. */
  async activeIds(_ctx: CallContext, query: ProductIdQuery): Promise<string[]> {
    const category = query.categoryId ? await this.taxonomyRepository.findCategory({ id: query.categoryId }) : null;
    if (query.categoryId && !category) return [];
    return this.products.activeIds({ after: query.after, limit: Math.min(query.limit, 5000), brandId: query.brandId, categoryPath: category?.path });
  }

  async categoryTrails(_ctx: CallContext, categoryIds: string[]): Promise<Record<string, CategoryRef[]>> {
    if (categoryIds.length === 0) return {};
    const all = await this.taxonomyRepository.allCategories();
    const wanted = new Set(categoryIds);
    return Object.fromEntries(all.filter((c) => wanted.has(c.id)).map((c) => [c.id, this.taxonomy.breadcrumbsIn(all, c)]));
  }

  private async views(products: Product[]): Promise<ProductView[]> {
    const brandIds = [...new Set(products.map((p) => p.brandId).filter((id): id is string => id !== null))];
    const [graph, brands] = await Promise.all([this.products.graph(products), this.taxonomyRepository.findBrands(brandIds)]);
    return toProductViews(graph, brands);
  }

  /** Each view with the path to its first category, root first (one query for all of them). */
  private async withBreadcrumbs(views: ProductView[]): Promise<ProductDetail[]> {
    if (views.length === 0) return [];
    const all = views.some((v) => v.categories.length > 0) ? await this.taxonomyRepository.allCategories() : [];
    const byId = new Map(all.map((c) => [c.id, c]));
    return views.map((view) => {
      const category = view.categories[0] && byId.get(view.categories[0].id);
      return { ...view, breadcrumbs: category ? this.taxonomy.breadcrumbsIn(all, category) : [] };
    });
  }
}
