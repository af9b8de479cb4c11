import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PRICE_BUCKETS, type SearchDocument, type SearchHit, type SearchQuery, type SearchSort } from '#contracts';

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
/** The facet values of a document (see SearchDocumentRow.facetKeys), from the recordset's jsonb. */
const FACET_KEYS = `
  ARRAY(SELECT concat_ws(chr(31), 'c', c->>'slug', c->>'name') FROM jsonb_array_elements(d.categories) c)
  || ARRAY(SELECT concat_ws(chr(31), 'b', d.brand->>'slug', d.brand->>'name') WHERE jsonb_typeof(d.brand) = 'object')
  || ARRAY(SELECT concat_ws(chr(31), 'a', a.key, v) FROM jsonb_each(d.attributes) a, jsonb_array_elements_text(a.value) v)`;
const COLUMNS = `product_id, slug, name, description, brand_slug, brand_name, categories, category_slugs, price_min, price_max,
  currency, in_stock, attributes, rating, image_url, created_at, facet_keys, search_vector, indexed_at`;
const UPDATE_ALL = `
  slug = EXCLUDED.slug, name = EXCLUDED.name, description = EXCLUDED.description, brand_slug = EXCLUDED.brand_slug,
  brand_name = EXCLUDED.brand_name, categories = EXCLUDED.categories, category_slugs = EXCLUDED.category_slugs,
  price_min = EXCLUDED.price_min, price_max = EXCLUDED.price_max, currency = EXCLUDED.currency, in_stock = EXCLUDED.in_stock,
  attributes = EXCLUDED.attributes, rating = EXCLUDED.rating, image_url = EXCLUDED.image_url, created_at = EXCLUDED.created_at,
  facet_keys = EXCLUDED.facet_keys, search_vector = EXCLUDED.search_vector, indexed_at = now()`;

/**
 * Writes `docs` into `table`, computing the weighted vector. `replace` overwrites a row already
 * there; otherwise the row there wins (a rebuild's read may be older than a live write).
 */
export async function writeDocuments(tx: EntityManager, table: string, docs: SearchDocument[], replace: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} AS t (${COLUMNS})
     SELECT d."productId", d.slug, d.name, d.description, d.brand->>'slug', d.brand->>'name', d.categories,
            ARRAY(SELECT jsonb_array_elements(d.categories)->>'slug'), d."priceMin", d."priceMax", d.currency, d."inStock",
            d.attributes, d.rating, d."imageUrl", d."createdAt", ${FACET_KEYS}, ${VECTOR}, now()
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

/** What narrows the matching set: the text query (websearch syntax) and the filters. */
export type DocumentFilter = Pick<SearchQuery, 'q' | 'category' | 'brand' | 'minPrice' | 'maxPrice' | 'attributes'>;

export interface HitPage {
  filter: DocumentFilter;
  sort: SearchSort;
  offset: number;
  limit: number;
  /** Relevance ranks at most this many matches (ts_rank over every match of a broad word is slow). */
  candidates: number;
}

/** One row of the facet query: the number of matches counted, a facet key's count, or a price bucket's. */
export interface FacetRow {
  facet: 'total' | 'key' | 'price';
  value: string | null;
  count: number;
}

const tsquery = (param: string) => `websearch_to_tsquery('simple', unaccent(${param}::text))`;
const HIT_COLUMNS = `d.product_id, d.slug, d.name, d.brand_slug, d.brand_name, d.price_min, d.price_max, d.currency, d.in_stock, d.rating, d.image_url, d.created_at`;
const ORDER: Record<Exclude<SearchSort, 'relevance'>, string> = {
  price_asc: 'd.price_min ASC',
  price_desc: 'd.price_min DESC',
  newest: 'd.created_at DESC',
  name: 'lower(d.name) ASC',
  rating: 'd.rating DESC NULLS LAST',
};
// Characters to_tsquery would read as syntax, should unaccent ever produce one.
const TSQUERY_SYNTAX = `'[''\\\\:&|!()<>*[:space:]]+'`;

interface HitRow {
  product_id: string;
  slug: string;
  name: string;
  brand_slug: string | null;
  brand_name: string | null;
  price_min: number;
  price_max: number;
  currency: string;
  in_stock: boolean;
  rating: number | null;
  image_url: string | null;
  created_at: Date;
}

/** `%`, `_` and `\` in what was typed are literal characters, not wildcards. */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The search schema: documents with a weighted tsvector, and the vocabulary of their words. All SQL lives here. */
@Injectable()
export class SearchDocumentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Upserts by product id, into the next table too while a rebuild runs, then adds the documents' words to the vocabulary. */
  async upsert(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const ids = docs.map((d) => d.productId);
    await this.dataSource.transaction(async (tx) => {
      const rebuilding = await joinRebuild(tx);
      await writeDocuments(tx, LIVE_TABLE, docs, true);
      if (rebuilding) {
        await writeDocuments(tx, NEXT_TABLE, docs, true);
        await tx.query(`DELETE FROM ${REMOVED_DURING_REBUILD} WHERE product_id = ANY($1::uuid[])`, [ids]);
      }
      await tx.query(
        `INSERT INTO search.terms (term)
         SELECT DISTINCT l.lexeme FROM ${LIVE_TABLE} d, unnest(d.search_vector) l
         WHERE d.product_id = ANY($1::uuid[]) AND ${TERM_LEXEMES}
         ON CONFLICT DO NOTHING`,
        [ids],
      );
    });
  }

  async remove(productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    await this.dataSource.transaction(async (tx) => {
      const rebuilding = await joinRebuild(tx);
      await tx.query(`DELETE FROM ${LIVE_TABLE} WHERE product_id = ANY($1::uuid[])`, [productIds]);
      if (!rebuilding) return;
      await tx.query(`DELETE FROM ${NEXT_TABLE} WHERE product_id = ANY($1::uuid[])`, [productIds]);
      await tx.query(`INSERT INTO ${REMOVED_DURING_REBUILD} (product_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [productIds]);
    });
  }

  /** One page of hits. Relevance ranks a bounded candidate set of matches; other sorts need no ranking. */
  async hits({ filter, sort, offset, limit, candidates }: HitPage): Promise<SearchHit[]> {
    const params: unknown[] = [];
    const { where, query } = whereOf(filter, params);
    const page = `LIMIT ${push(params, limit)} OFFSET ${push(params, offset)}`;
    const sql =
      sort === 'relevance' && query
        ? `SELECT ${HIT_COLUMNS} FROM (SELECT * FROM search.documents d WHERE ${where} LIMIT ${push(params, candidates)}) d
           ORDER BY ts_rank(d.search_vector, ${query}) DESC, d.created_at DESC, d.product_id ${page}`
        : `SELECT ${HIT_COLUMNS} FROM search.documents d WHERE ${where}
           ORDER BY ${sort === 'relevance' ? ORDER.newest : ORDER[sort]}, d.product_id ${page}`;
    const rows: HitRow[] = await this.withoutJit(sql, params);
    return rows.map(toHit);
  }

  /**
   * How many match, counting at most `limit + 1`, and the facets of the matches counted, in one
   * statement. Stopping at a bound keeps a broad word (a tenth of the catalog) as cheap as a narrow one.
   */
  facets(filter: DocumentFilter, limit: number): Promise<FacetRow[]> {
    const params: unknown[] = [];
    const { where } = whereOf(filter, params);
    const buckets = push(params, JSON.stringify(PRICE_BUCKETS));
    return this.withoutJit(
      `WITH counted AS MATERIALIZED (SELECT d.price_min, d.facet_keys FROM search.documents d WHERE ${where} LIMIT ${push(params, limit + 1)}),
       m AS MATERIALIZED (SELECT * FROM counted LIMIT ${push(params, limit)})
       SELECT 'total' AS facet, NULL AS value, count(*)::int AS count FROM counted
       UNION ALL
       SELECT 'key', k, count(*)::int FROM m, unnest(m.facet_keys) k GROUP BY k
       UNION ALL
       SELECT 'price', b.key, count(m.price_min)::int
       FROM jsonb_to_recordset(${buckets}::jsonb) b(key text, "from" int, "to" int)
       LEFT JOIN m ON m.price_min >= b."from" AND (b."to" IS NULL OR m.price_min < b."to") GROUP BY b.key`,
      params,
    );
  }

  /**
   * For each word missing from the vocabulary, the most similar known word (pg_trgm similarity at
   * its default threshold, 0.3), or null. Words the vocabulary has are left out.
   */
  async corrections(words: string[]): Promise<{ word: string; suggestion: string | null }[]> {
    return this.dataSource.query(
      `SELECT w.word, (SELECT t.term FROM search.terms t WHERE t.term % w.norm ORDER BY similarity(t.term, w.norm) DESC, t.term LIMIT 1) AS suggestion
       FROM (SELECT word, lower(unaccent(word)) AS norm FROM unnest($1::text[]) AS u(word)) w
       WHERE NOT EXISTS (SELECT 1 FROM search.terms t WHERE t.term = w.norm)`,
      [words],
    );
  }

  /** Product names whose words start with the given words, the last one as a prefix; names that start with `text` first. */
  async namesByPrefix(words: string[], text: string, limit: number): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `WITH q AS (
         SELECT to_tsquery('simple', string_agg(w.lexeme || CASE WHEN w.i = $2 THEN ':*A' ELSE ':A' END, ' & ' ORDER BY w.i)) AS query
         FROM (SELECT regexp_replace(lower(unaccent(word)), ${TSQUERY_SYNTAX}, '', 'g') AS lexeme, i FROM unnest($1::text[]) WITH ORDINALITY u(word, i)) w
         WHERE w.lexeme <> ''
       )
       SELECT name FROM (
         SELECT DISTINCT ON (lower(c.name)) c.name, c.score FROM (
           SELECT d.name, ts_rank(d.search_vector, q.query) AS score FROM search.documents d, q WHERE d.search_vector @@ q.query LIMIT 500
         ) c ORDER BY lower(c.name), c.score DESC
       ) n
       ORDER BY lower(n.name) LIKE lower($3) || '%' DESC, n.score DESC, lower(n.name) LIMIT $4`,
      [words, words.length, text.replace(/[\\%_]/g, (ch) => `\\${ch}`), limit],
    );
    return rows.map((r) => r.name);
  }

  /** Product names containing `text` anywhere (trigram-indexed), for completions inside a word. */
  async namesContaining(text: string, limit: number): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT name FROM (SELECT DISTINCT ON (lower(name)) name FROM search.documents WHERE name ILIKE $1 LIMIT 200) n
       ORDER BY length(name), lower(name) LIMIT $2`,
      [containing(text), limit],
    );
    return rows.map((r) => r.name);
  }

  /**
   * The planner assumes 100 rows per jsonb element and prices a broad match high enough to JIT-compile
   * it, which costs ~0.5 s here against ~50 ms of work (measured on 100k documents): these statements
   * run with JIT off.
   */
  private withoutJit<T>(sql: string, params: unknown[]): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL jit = off');
      return tx.query(sql, params) as Promise<T>;
    });
  }
}

function push(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/** Every value becomes a bound parameter; `query` is the tsquery expression when there is a text query. */
function whereOf(filter: DocumentFilter, params: unknown[]): { where: string; query: string | null } {
  const clauses = ['TRUE'];
  const query = filter.q ? tsquery(push(params, filter.q)) : null;
  if (query) clauses.push(`d.search_vector @@ ${query}`);
  if (filter.category) clauses.push(`d.category_slugs @> ARRAY[${push(params, filter.category)}::text]`);
  if (filter.brand) clauses.push(`d.brand_slug = ${push(params, filter.brand)}`);
  if (filter.minPrice !== undefined) clauses.push(`d.price_min >= ${push(params, filter.minPrice)}`);
  if (filter.maxPrice !== undefined) clauses.push(`d.price_min <= ${push(params, filter.maxPrice)}`);
  for (const [name, values] of Object.entries(filter.attributes ?? {})) {
    const any = values.map((value) => `d.attributes @> ${push(params, JSON.stringify({ [name]: [value] }))}::jsonb`);
    if (any.length > 0) clauses.push(`(${any.join(' OR ')})`);
  }
  return { where: clauses.join(' AND '), query };
}

function toHit(row: HitRow): SearchHit {
  return {
    productId: row.product_id,
    slug: row.slug,
    name: row.name,
    brand: row.brand_slug ? { slug: row.brand_slug, name: row.brand_name ?? row.brand_slug } : null,
    priceMin: row.price_min,
    priceMax: row.price_max,
    currency: row.currency,
    inStock: row.in_stock,
    rating: row.rating,
    imageUrl: row.image_url,
    createdAt: row.created_at.toISOString(),
  };
}
