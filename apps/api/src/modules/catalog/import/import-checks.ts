import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '#platform';
import type { ProductInput } from '../dto/product.dto.js';
import { ImportedProduct } from './import.dto.js';
import { type ImportCandidate, type Location, type Problem, problemAt } from './import-candidate.js';
import type { ImportLookupsRepository } from './import-lookups.repository.js';

/** A product that passed every check, ready for ProductsService. */
export interface CheckedProduct {
  candidate: ImportCandidate;
  input: ProductInput;
  /** Set when a product with this slug exists: it is updated, its variants upserted by SKU. */
  existingId?: string;
}

/** A variant as read, before validation has vouched for its shape. */
type LooseVariant = { sku?: unknown; price?: { currency?: unknown } };

const where = (at: Location) => (at.line !== undefined ? `line ${at.line}` : `index ${at.index}`);

/** Validates each candidate with the DTO rules, then checks it against the rest of the file and the catalog. */
export async function checkCandidates(candidates: ImportCandidate[], lookups: ImportLookupsRepository): Promise<{ good: CheckedProduct[]; problems: Map<ImportCandidate, Problem[]> }> {
  const problems = new Map(candidates.map((c) => [c, [...c.problems]]));
  const products = new Map<ImportCandidate, ImportedProduct>();
  for (const candidate of candidates) {
    const product = plainToInstance(ImportedProduct, candidate.data);
    products.set(candidate, product);
    if (candidate.unreadable) continue;
    const errors = await validate(product, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
    problems.get(candidate)?.push(...flattenValidationErrors(errors).map((e) => problemAt(candidate, e.field, e.message)));
  }
  const variantsOf = (c: ImportCandidate): LooseVariant[] => {
    const variants: unknown = products.get(c)?.variants;
    return Array.isArray(variants) ? variants.map((v: unknown) => (typeof v === 'object' && v !== null ? (v as LooseVariant) : {})) : [];
  };
  checkWithinFile(candidates, variantsOf, problems);

  const all = [...products.values()];
  const [brandIds, categoryIds, productIds, skuOwners] = await Promise.all([
    lookups.brandIds(all.flatMap((p) => (typeof p.brand === 'string' ? [p.brand] : []))),
    lookups.categoryIds(all.flatMap((p) => (Array.isArray(p.categories) ? p.categories.filter((c) => typeof c === 'string') : []))),
    lookups.productIds(candidates.map((c) => c.handle).filter(Boolean)),
    lookups.skuOwners(candidates.flatMap((c) => variantsOf(c).flatMap((v) => (typeof v.sku === 'string' ? [v.sku] : [])))),
  ]);

  const good: CheckedProduct[] = [];
  for (const candidate of candidates) {
    const own = problems.get(candidate) as Problem[];
    const { brand, categories, ...rest } = products.get(candidate) as ImportedProduct;
    if (typeof brand === 'string' && !brandIds.has(brand)) own.push(problemAt(candidate, 'brand', `no brand has the slug "${brand}"`));
    for (const slug of Array.isArray(categories) ? categories : []) {
      if (typeof slug === 'string' && !categoryIds.has(slug)) own.push(problemAt(candidate, 'categories', `no category has the slug "${slug}"`));
    }
    variantsOf(candidate).forEach((variant, i) => {
      const owner = typeof variant.sku === 'string' ? skuOwners.get(variant.sku) : undefined;
      if (owner && owner !== candidate.handle) own.push(problemAt(candidate, `variants.${i}.sku`, `SKU ${variant.sku} belongs to another product ("${owner}")`));
    });
    if (own.length) continue;
    const input: ProductInput = { ...rest, brandId: brand && brandIds.get(brand), categoryIds: categories?.map((slug) => categoryIds.get(slug) as string) };
    good.push({ candidate, input, existingId: productIds.get(candidate.handle) });
  }
  return { good, problems: new Map([...problems].filter(([, list]) => list.length > 0)) };
}

/** Slugs and SKUs appear once in a file; a product's variants share one currency. */
function checkWithinFile(
  candidates: ImportCandidate[],
  variantsOf: (c: ImportCandidate) => LooseVariant[],
  problems: Map<ImportCandidate, Problem[]>,
): void {
  const handles = new Map<string, Location>();
  const skus = new Map<string, Location>();
  for (const candidate of candidates) {
    const own = problems.get(candidate) as Problem[];
    const seen = handles.get(candidate.handle);
    if (candidate.handle && seen) own.push(problemAt(candidate, 'slug', `the slug "${candidate.handle}" already appears at ${where(seen)}`));
    else if (candidate.handle) handles.set(candidate.handle, candidate.locate('slug').at);
    const variants = variantsOf(candidate);
    variants.forEach((variant, i) => {
      const path = `variants.${i}`;
      const currency = variants[0]?.price?.currency;
      if (typeof currency === 'string' && variant.price?.currency !== currency) {
        own.push(problemAt(candidate, `${path}.price.currency`, `all variants of a product share one currency (${currency} on its first variant)`));
      }
      if (typeof variant.sku !== 'string') return;
      const first = skus.get(variant.sku);
      if (first) own.push(problemAt(candidate, `${path}.sku`, `SKU ${variant.sku} already appears at ${where(first)}`));
      else skus.set(variant.sku, candidate.locate(path).at);
    });
  }
}
