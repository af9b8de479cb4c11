import { createTestDatabase, PROCESS_TEST_TIMEOUT_MS, runTsCommand, type TestDatabase } from '#testing';

const SEED = 'apps/api/src/modules/catalog/seed/catalog.seed.ts';

describe('npm run seed (real PostgreSQL, its own process)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('writes a consistent catalog, and leaves an existing one alone unless --reset', async () => {
    const first = await runTsCommand(SEED, ['--products', '300', '--no-index'], { env: { DATABASE_URL: db.url } });
    expect(first.output).toMatch(/Seeded 300 products/);
    expect(first.code).toBe(0);
    const { rows } = await db.query(`
      SELECT (SELECT count(*)::int FROM catalog.products) AS products,
             (SELECT count(DISTINCT slug)::int FROM catalog.products) AS slugs,
             (SELECT count(*)::int FROM catalog.products p WHERE NOT EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id)) AS without_variants,
             (SELECT count(*)::int FROM catalog.products p
                WHERE p.price_min <> (SELECT min(price_amount) FROM catalog.variants v WHERE v.product_id = p.id)
                   OR p.in_stock <> (SELECT bool_or(in_stock) FROM catalog.variants v WHERE v.product_id = p.id)) AS stale_summaries,
             (SELECT count(*)::int FROM catalog.product_categories pc JOIN catalog.categories c ON c.id = pc.category_id
                WHERE EXISTS (SELECT 1 FROM catalog.categories child WHERE child.parent_id = c.id)) AS in_inner_categories,
             (SELECT max(array_length(string_to_array(path, '/'), 1))::int FROM catalog.categories) AS depth`);
    expect(rows[0]).toEqual({ products: 300, slugs: 300, without_variants: 0, stale_summaries: 0, in_inner_categories: 0, depth: 3 });

    const again = await runTsCommand(SEED, ['--products', '50', '--no-index'], { env: { DATABASE_URL: db.url } });
    expect(again.output).toMatch(/already has 300 products/);
    const reset = await runTsCommand(SEED, ['--products', '50', '--reset', '--no-index'], { env: { DATABASE_URL: db.url } });
    expect(reset.code).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM catalog.products')).rows[0].n).toBe(50);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('refuses a bad --products value with exit code 2', async () => {
    const bad = await runTsCommand(SEED, ['--products', 'lots'], { env: { DATABASE_URL: db.url } });
    expect(bad.code).toBe(2);
  });
});
