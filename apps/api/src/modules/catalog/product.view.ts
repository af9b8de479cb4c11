import type { CategoryRef, ProductView, VariantView } from '#contracts';
import type { Brand } from './brand.entity.js';
import type { ProductGraph, VariantFields } from './products.repository.js';
import type { Variant } from './variant.entity.js';

export const toVariantView = (v: VariantFields): VariantView => ({
  sku: v.sku,
  options: v.options,
  price: { amount: v.priceAmount, currency: v.currency },
  compareAtPrice: v.compareAtAmount === null ? null : { amount: v.compareAtAmount, currency: v.currency },
  weightGrams: v.weightGrams,
  barcode: v.barcode,
  inStock: v.inStock,
});

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Assembles product views from one page's rows, in the page's order. */
export function toProductViews(graph: ProductGraph, brands: Brand[]): ProductView[] {
  const variants = groupBy(graph.variants, (v) => v.productId);
  const images = groupBy(graph.images, (i) => i.productId);
  const links = groupBy(graph.links, (l) => l.productId);
  const categories = new Map(graph.categories.map((c) => [c.id, c]));
  const brandById = new Map(brands.map((b) => [b.id, b]));
  return graph.products.map((p) => {
    const brand = p.brandId ? brandById.get(p.brandId) : undefined;
    return {
      id: p.id,
      slug: p.slug,
      name: p.name,
      description: p.description,
      status: p.status,
      brand: brand ? { id: brand.id, slug: brand.slug, name: brand.name } : null,
      categories: (links.get(p.id) ?? [])
        .map((l) => categories.get(l.categoryId))
        .filter((c): c is NonNullable<typeof c> => c !== undefined)
        .map((c): CategoryRef => ({ id: c.id, slug: c.slug, name: c.name })),
      images: (images.get(p.id) ?? []).map((i) => ({ url: i.url, alt: i.alt, position: i.position })),
      attributes: p.attributes,
      rating: p.ratingAverage === null ? null : { average: p.ratingAverage, count: p.ratingCount },
      variants: (variants.get(p.id) ?? []).map(toVariantView),
      inStock: p.inStock,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  });
}
