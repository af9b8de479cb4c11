import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext, ProductStatus, ProductView, VariantView } from '#contracts';
import { DomainError } from '#platform';
import { CatalogCache } from './catalog-cache.js';
import { NotFoundInCatalogError, SkuTakenError, SlugTakenError } from './catalog.errors.js';
import type { ImageInput, ProductInput, ProductUpdate, VariantInput, VariantUpdate } from './dto/product.dto.js';
import type { Product } from './product.entity.js';
import { ProductReadsService } from './product-reads.service.js';
import { type Conflict, type NewImage, type NewVariant, ProductsRepository } from './products.repository.js';
import { toVariantView } from './product.view.js';
import { slugify } from './slug.js';
import { TaxonomyRepository } from './taxonomy.repository.js';

class MixedCurrenciesError extends DomainError {
  constructor() {
    super('CATALOG.MIXED_CURRENCIES', 'bad_request', 'All variants of a product must have the same currency');
  }
}

function unwrap<T>(result: T | Conflict, slug: string): T {
  if (typeof result === 'object' && result !== null && 'conflict' in result) {
    if (result.conflict === 'sku') throw new SkuTakenError(result.value ?? '');
    throw new SlugTakenError('product', slug);
  }
  return result;
}

const productEvent = (name: 'catalog.product-created' | 'catalog.product-updated' | 'catalog.product-archived', p: { id: string; slug: string; status: ProductStatus }) => ({
  name,
  version: 1,
  productId: p.id,
  slug: p.slug,
  status: p.status,
});

/** Admin writes to products and variants; every one publishes a catalog event in its transaction. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly taxonomy: TaxonomyRepository,
    private readonly reads: ProductReadsService,
    private readonly cache: CatalogCache,
  ) {}

  async create(ctx: CallContext, input: ProductInput): Promise<ProductView> {
    const id = randomUUID();
    const currency = this.singleCurrency(input.variants.map((v) => v.price.currency));
    await this.checkReferences(input.brandId, input.categoryIds);
    const slug = input.slug ?? slugify(input.name);
    const status = input.status ?? 'draft';
    const created = await this.products.create(
      { id, slug, name: input.name, description: input.description ?? '', brandId: input.brandId ?? null, status, attributes: input.attributes ?? {}, currency },
      input.variants.map((v, position) => this.newVariant(id, v, position)),
      this.images(id, input.images ?? []),
      input.categoryIds ?? [],
      productEvent('catalog.product-created', { id, slug, status }),
    );
    const product = unwrap(created, slug);
    await this.cache.productsChanged();
    return this.reads.byId(ctx, product.id);
  }

  /** `variants` are upserted by SKU (the bulk import); variants not named stay as they are. */
  async update(ctx: CallContext, id: string, input: ProductUpdate, variants: VariantInput[] = []): Promise<ProductView> {
    const current = await this.require(id);
    await this.checkReferences(input.brandId ?? undefined, input.categoryIds);
    const upserts = await this.variantUpserts(current, variants);
    const { images, categoryIds, ...fields } = input;
    const next = { ...current, ...fields };
    const updated = await this.products.update(
      id,
      fields,
      { images: images && this.images(id, images), categoryIds, variants: upserts },
      current.slug,
      productEvent(next.status === 'archived' && current.status !== 'archived' ? 'catalog.product-archived' : 'catalog.product-updated', next),
    );
    const product = unwrap(updated, input.slug ?? current.slug);
    await this.cache.productsChanged();
    return this.reads.byId(ctx, product.id);
  }

  /** Soft delete: the product leaves listings and search, its URL answers 404, its data stays. */
  archive(ctx: CallContext, id: string): Promise<ProductView> {
    return this.update(ctx, id, { status: 'archived' });
  }

  async addVariant(_ctx: CallContext, productId: string, input: VariantInput): Promise<VariantView> {
    const product = await this.require(productId);
    if (input.price.currency !== product.currency) throw new MixedCurrenciesError();
    const variant = unwrap(await this.products.addVariant(this.newVariant(productId, input, 1000), productEvent('catalog.product-updated', product)), product.slug);
    await this.cache.productsChanged();
    return toVariantView(variant);
  }

  async updateVariant(_ctx: CallContext, sku: string, input: VariantUpdate): Promise<VariantView> {
    const variant = await this.products.findVariant(sku);
    if (!variant) throw new NotFoundInCatalogError('variant', sku);
    const product = await this.require(variant.productId);
    const currencies = [input.price?.currency, input.compareAtPrice?.currency].filter((c): c is string => c !== undefined);
    if (currencies.some((c) => c !== product.currency)) throw new MixedCurrenciesError();
    const change: Partial<NewVariant> = {
      ...(input.options !== undefined && { options: input.options }),
      ...(input.price !== undefined && { priceAmount: input.price.amount }),
      ...(input.compareAtPrice !== undefined && { compareAtAmount: input.compareAtPrice?.amount ?? null }),
      ...(input.weightGrams !== undefined && { weightGrams: input.weightGrams }),
      ...(input.barcode !== undefined && { barcode: input.barcode }),
      ...(input.inStock !== undefined && { inStock: input.inStock }),
    };
    const updated = await this.products.updateVariant(variant, change, productEvent('catalog.product-updated', product));
    await this.cache.productsChanged();
    return toVariantView(updated);
  }

  async removeVariant(_ctx: CallContext, sku: string): Promise<void> {
    const variant = await this.products.findVariant(sku);
    if (!variant) throw new NotFoundInCatalogError('variant', sku);
    const product = await this.require(variant.productId);
    await this.products.removeVariant(variant, productEvent('catalog.product-updated', product));
    await this.cache.productsChanged();
  }

  private async require(id: string): Promise<Product> {
    const product = await this.products.findById(id);
    if (!product) throw new NotFoundInCatalogError('product', id);
    return product;
  }

  private async variantUpserts(product: Product, inputs: VariantInput[]): Promise<NewVariant[]> {
    if (inputs.some((v) => v.price.currency !== product.currency)) throw new MixedCurrenciesError();
    const existing = new Map((await this.products.findVariants(inputs.map((v) => v.sku))).map((v) => [v.sku, v]));
    return inputs.map((input, position) => {
      const found = existing.get(input.sku);
      if (found && found.productId !== product.id) throw new SkuTakenError(input.sku);
      // New variants go after the existing ones, as addVariant's do.
      const variant = this.newVariant(product.id, input, found?.position ?? 1000 + position);
      return found ? { ...variant, id: found.id } : variant;
    });
  }

  private async checkReferences(brandId: string | undefined, categoryIds: string[] | undefined): Promise<void> {
    if (brandId && !(await this.taxonomy.findBrand({ id: brandId }))) throw new NotFoundInCatalogError('brand', brandId);
    if (categoryIds?.length) {
      const found = new Set((await this.taxonomy.findCategories(categoryIds)).map((c) => c.id));
      const missing = categoryIds.find((id) => !found.has(id));
      if (missing) throw new NotFoundInCatalogError('category', missing);
    }
  }

  private singleCurrency(currencies: string[]): string {
    const distinct = new Set(currencies);
    if (distinct.size > 1) throw new MixedCurrenciesError();
    return currencies[0] ?? 'EUR';
  }

  private newVariant(productId: string, v: VariantInput, position: number): NewVariant {
    if (v.compareAtPrice && v.compareAtPrice.currency !== v.price.currency) throw new MixedCurrenciesError();
    return {
      id: randomUUID(),
      productId,
      sku: v.sku,
      options: v.options ?? {},
      priceAmount: v.price.amount,
      currency: v.price.currency,
      compareAtAmount: v.compareAtPrice?.amount ?? null,
      weightGrams: v.weightGrams ?? null,
      barcode: v.barcode ?? null,
      inStock: v.inStock ?? true,
      position,
    };
  }

  private images(productId: string, images: ImageInput[]): NewImage[] {
    return images.map((image, position) => ({ id: randomUUID(), productId, url: image.url, alt: image.alt ?? '', position }));
  }
}
