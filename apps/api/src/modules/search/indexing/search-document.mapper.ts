import type { CategoryRef, ProductView, SearchDocument } from '#contracts';

/**
 * A catalog product as search indexes it. Categories are widened to their ancestors (from the
 * trails), so a search in a parent category finds it; options become attributes too (size: M).
 */
export function toSearchDocument(product: ProductView, trails: Record<string, CategoryRef[]>): SearchDocument {
  const categories = new Map<string, { slug: string; name: string }>();
  for (const category of product.categories) {
    for (const step of trails[category.id] ?? [category]) categories.set(step.slug, { slug: step.slug, name: step.name });
  }
  const attributes: Record<string, Set<string>> = {};
  for (const [key, values] of Object.entries(product.attributes)) attributes[key] = new Set(values);
  for (const variant of product.variants) {
    for (const [key, value] of Object.entries(variant.options)) (attributes[key] ??= new Set()).add(value);
  }
  const prices = product.variants.map((v) => v.price.amount);
  return {
    productId: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    brand: product.brand ? { slug: product.brand.slug, name: product.brand.name } : null,
    categories: [...categories.values()],
    priceMin: prices.length ? Math.min(...prices) : 0,
    priceMax: prices.length ? Math.max(...prices) : 0,
    currency: product.variants[0]?.price.currency ?? 'EUR',
    inStock: product.inStock,
    attributes: Object.fromEntries(Object.entries(attributes).map(([key, values]) => [key, [...values].sort()])),
    rating: product.rating?.average ?? null,
    imageUrl: product.images[0]?.url ?? null,
    createdAt: product.createdAt,
  };
}
