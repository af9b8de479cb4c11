import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext, CategoryRef } from '#contracts';
import { ReadCache } from '#platform';
import type { Brand } from './brand.entity.js';
import { CatalogCache, TAXONOMY_READS } from './catalog-cache.js';
import { BrandInUseError, CategoryInUseError, InvalidCategoryMoveError, NotFoundInCatalogError, SlugTakenError } from './catalog.errors.js';
import type { Category } from './category.entity.js';
import type { BrandUpdate, CategoryInput, CategoryUpdate } from './dto/taxonomy.dto.js';
import { slugify } from './slug.js';
import { type Saved, TaxonomyRepository } from './taxonomy.repository.js';

export interface CategoryNode extends CategoryRef {
  position: number;
  children: CategoryNode[];
}

export interface CategoryDetail extends CategoryRef {
  position: number;
  breadcrumbs: CategoryRef[];
  children: CategoryRef[];
}

const ref = (c: Category): CategoryRef => ({ id: c.id, slug: c.slug, name: c.name });

function unwrap<T>(saved: Saved<T>, kind: string, slug: string): T {
  if (saved === 'slug-taken') throw new SlugTakenError(kind, slug);
  return saved;
}

/** Brands and the category tree: admin writes, public reads. */
@Injectable()
export class TaxonomyService {
  constructor(
    private readonly taxonomy: TaxonomyRepository,
    private readonly reads: ReadCache,
    private readonly invalidation: CatalogCache,
  ) {}

  listBrands(_ctx: CallContext): Promise<Brand[]> {
    return this.taxonomy.listBrands();
  }

  async saveBrand(_ctx: CallContext, input: BrandUpdate, id?: string): Promise<Brand> {
    const existing = id ? await this.taxonomy.findBrand({ id }) : null;
    if (id && !existing) throw new NotFoundInCatalogError('brand', id);
    const brandId = id ?? randomUUID();
    const name = input.name ?? existing?.name ?? '';
    const slug = input.slug ?? existing?.slug ?? slugify(name);
    const saved = await this.taxonomy.saveBrand({ id: brandId, name, slug }, {
      name: 'catalog.brand-changed',
      version: 1,
      brandId,
      change: existing ? 'updated' : 'created',
    });
    const brand = unwrap(saved, 'brand', slug);
    await this.invalidation.taxonomyChanged();
    return brand;
  }

  async deleteBrand(_ctx: CallContext, id: string): Promise<void> {
    if (!(await this.taxonomy.findBrand({ id }))) throw new NotFoundInCatalogError('brand', id);
    const deleted = await this.taxonomy.deleteBrand(id, { name: 'catalog.brand-changed', version: 1, brandId: id, change: 'deleted' });
    if (!deleted) throw new BrandInUseError();
    await this.invalidation.taxonomyChanged();
  }

  /** The whole tree, children ordered by position then name; cached until a catalog write. */
  tree(ctx: CallContext): Promise<CategoryNode[]> {
    return this.reads.get('catalog:tree', [TAXONOMY_READS], () => this.treeUncached(ctx));
  }

  bySlug(ctx: CallContext, slug: string): Promise<CategoryDetail> {
    return this.reads.get(`catalog:category:${slug}`, [TAXONOMY_READS], () => this.bySlugUncached(ctx, slug));
  }

  private async treeUncached(_ctx: CallContext): Promise<CategoryNode[]> {
    const nodes = new Map<string, CategoryNode>();
    const all = await this.taxonomy.allCategories();
    for (const c of all) nodes.set(c.id, { ...ref(c), position: c.position, children: [] });
    const roots: CategoryNode[] = [];
    for (const c of all) {
      const node = nodes.get(c.id) as CategoryNode;
      const parent = c.parentId ? nodes.get(c.parentId) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  private async bySlugUncached(_ctx: CallContext, slug: string): Promise<CategoryDetail> {
    const category = await this.taxonomy.findCategory({ slug });
    if (!category) throw new NotFoundInCatalogError('category', slug);
    const all = await this.taxonomy.allCategories();
    return {
      ...ref(category),
      position: category.position,
      breadcrumbs: this.breadcrumbsIn(all, category),
      children: all.filter((c) => c.parentId === category.id).map(ref),
    };
  }

  /** Root first, the category itself last. */
  breadcrumbsIn(all: Category[], category: Category): CategoryRef[] {
    const byId = new Map(all.map((c) => [c.id, c]));
    return category.path
      .split('/')
      .map((id) => byId.get(id))
      .filter((c): c is Category => c !== undefined)
      .map(ref);
  }

  async createCategory(_ctx: CallContext, input: CategoryInput): Promise<Category> {
    const parent = input.parentId ? await this.requireCategory(input.parentId) : null;
    const id = randomUUID();
    const slug = input.slug ?? slugify(input.name);
    const saved = await this.taxonomy.createCategory(
      { id, parentId: parent?.id ?? null, slug, name: input.name, position: input.position ?? 0, path: parent ? `${parent.path}/${id}` : id },
      { name: 'catalog.category-changed', version: 1, categoryId: id, change: 'created' },
    );
    const category = unwrap(saved, 'category', slug);
    await this.invalidation.taxonomyChanged();
    return category;
  }

  async updateCategory(_ctx: CallContext, id: string, input: CategoryUpdate): Promise<Category> {
    const category = await this.requireCategory(id);
    const change: Parameters<TaxonomyRepository['updateCategory']>[1] = {};
    if (input.name !== undefined) change.name = input.name;
    if (input.slug !== undefined) change.slug = input.slug;
    if (input.position !== undefined) change.position = input.position;
    if (input.parentId !== undefined && input.parentId !== category.parentId) {
      const parent = input.parentId ? await this.requireCategory(input.parentId) : null;
      if (parent && (parent.id === id || parent.path.startsWith(`${category.path}/`))) throw new InvalidCategoryMoveError();
      change.parentId = parent?.id ?? null;
      change.path = parent ? `${parent.path}/${id}` : id;
    }
    const saved = await this.taxonomy.updateCategory(id, change, category.path, {
      name: 'catalog.category-changed',
      version: 1,
      categoryId: id,
      change: 'updated',
    });
    const updated = unwrap(saved, 'category', input.slug ?? category.slug);
    await this.invalidation.taxonomyChanged();
    return updated;
  }

  async deleteCategory(_ctx: CallContext, id: string): Promise<void> {
    const category = await this.requireCategory(id);
    const result = await this.taxonomy.deleteCategory(category, { name: 'catalog.category-changed', version: 1, categoryId: id, change: 'deleted' });
    if (result === 'has-children') throw new CategoryInUseError('The category has subcategories; move or delete them first');
    if (result === 'has-products') throw new CategoryInUseError('Products are still in this category; move them first');
    await this.invalidation.taxonomyChanged();
  }

  private async requireCategory(id: string): Promise<Category> {
    const category = await this.taxonomy.findCategory({ id });
    if (!category) throw new NotFoundInCatalogError('category', id);
    return category;
  }
}
