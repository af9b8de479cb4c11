import type { EntityManager } from 'typeorm';
import type { SearchDocument } from '#contracts';

/** The live table searches read, and the one a full rebuild fills beside it until it takes its place. */
export const LIVE_TABLE = 'search.documents';
export const NEXT_TABLE = 'search.documents_next';
/** Products removed while a rebuild runs: the rebuild must not bring them back from an older read. */
export const REMOVED_DURING_REBUILD = 'search.documents_next_removed';
/** pg_advisory_xact_lock(REBUILD_LOCK, 1) orders every write to the next table against the swap. */
export const REBUILD_LOCK = 0x5ea2c4;

// 'simple' keeps whole words (no stemming): the catalog is not only English, prefixes complete what
// was typed, and the words double as the "did you mean" vocabulary. unaccent makes "cafe" find "Café".
const VECTOR = `
  setweight(to_tsvector('simple', unaccent(d.name)), 'A')
  || setweight(to_tsvector('simple', unaccent(concat_ws(' ', d.brand->>'name', (SELECT string_agg(c->>'name', ' ') FROM jsonb_array_elements(d.categories) c)))), 'B')
  || setweight(to_tsvector('simple', unaccent(d.description)), 'C')`;
const COLUMNS = `product_id, slug, name, description, brand_slug, brand_name, categories, category_slugs, price_min, price_max,
  currency, in_stock, attributes, rating, image_url, created_at, search_vector, indexed_at`;
const UPDATE_ALL = `
  slug = EXCLUDED.slug, name = EXCLUDED.name, description = EXCLUDED.description, brand_slug = EXCLUDED.brand_slug,
  brand_name = EXCLUDED.brand_name, categories = EXCLUDED.categories, category_slugs = EXCLUDED.category_slugs,
  price_min = EXCLUDED.price_min, price_max = EXCLUDED.price_max, currency = EXCLUDED.currency, in_stock = EXCLUDED.in_stock,
  attributes = EXCLUDED.attributes, rating = EXCLUDED.rating, image_url = EXCLUDED.image_url, created_at = EXCLUDED.created_at,
  search_vector = EXCLUDED.search_vector, indexed_at = now()`;

/**
 * Writes `docs` into `table`, computing the weighted vector. `replace` overwrites a row already
 * there; otherwise the row there wins (a rebuild's read may be older than a live write).
 */
export async function writeDocuments(tx: EntityManager, table: string, docs: SearchDocument[], replace: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} AS t (${COLUMNS})
     SELECT d."productId", d.slug, d.name, d.description, d.brand->>'slug', d.brand->>'name', d.categories,
            ARRAY(SELECT jsonb_array_elements(d.categories)->>'slug'), d."priceMin", d."priceMax", d.currency, d."inStock",
            d.attributes, d.rating, d."imageUrl", d."createdAt", ${VECTOR}, now()
     FROM jsonb_to_recordset($1::jsonb) AS d("productId" uuid, slug text, name text, description text, brand jsonb, categories jsonb,
          "priceMin" int, "priceMax" int, currency text, "inStock" boolean, attributes jsonb, rating float8, "imageUrl" text, "createdAt" timestamptz)
     ${replace ? '' : `WHERE NOT EXISTS (SELECT 1 FROM ${REMOVED_DURING_REBUILD} r WHERE r.product_id = d."productId")`}
     ON CONFLICT (product_id) DO ${replace ? `UPDATE SET ${UPDATE_ALL}` : 'NOTHING'}`,
    [JSON.stringify(docs)],
  );
}

/** Words worth correcting to: three letters or more, not numbers. */
export const TERM_LEXEMES = `length(l.lexeme) BETWEEN 3 AND 100 AND l.lexeme !~ '^[0-9]+$'`;

/**
 * True when a rebuild is filling the next table. Then the caller holds the rebuild lock until its
 * transaction ends, so its writes to both tables and the swap happen in one order or the other.
 */
export async function joinRebuild(tx: EntityManager): Promise<boolean> {
  const exists = async () => ((await tx.query(`SELECT to_regclass('${NEXT_TABLE}') IS NOT NULL AS on`)) as { on: boolean }[])[0]!.on;
  if (!(await exists())) return false;
  await tx.query('SELECT pg_advisory_xact_lock($1, 1)', [REBUILD_LOCK]);
  // The swap may have finished while this waited.
  return exists();
}
