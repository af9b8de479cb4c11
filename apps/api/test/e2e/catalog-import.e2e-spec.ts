import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body, PROCESS_TEST_TIMEOUT_MS, runTsCommand, testRedisUrl, testSigningKey } from '#testing';
import { startApi } from './api-harness.js';

const CLI = 'apps/api/src/modules/catalog/cli/catalog-import.ts';
const PROBLEM = /application\/problem\+json/;

const CSV = [
  'handle,name,description,status,brand,categories,attr.color,image_urls,sku,option.size,price_amount,currency,compare_at_amount,weight_grams,barcode,in_stock',
  'trail-shoe,Trail Shoe,"A shoe for trails.',
  'Grippy, light',
  'and ""waterproof"".",active,acme,shoes,red|black,https://cdn.example.com/trail.jpg,TS-42,42,12900,EUR,14900,640,4006381333931,true',
  'trail-shoe,,,,,,,,TS-43,43,13900,EUR,,650,,false',
  'bad-price,Bad Price,,active,acme,shoes,,,BP-1,,12.50,EUR,,,,',
  'lost-brand,Lost Brand,,active,nope,shoes,,,LB-1,,1000,EUR,,,,',
  'copycat,Copycat,,active,acme,shoes,,,TS-42,,1000,EUR,,,,',
  'nameless,,,active,acme,shoes,,,NL-1,,1000,EUR,,,,',
  'rain-jacket,Rain Jacket,Keeps you dry,active,,jackets,blue,,RJ-M,M,19900,EUR,,,,yes',
  'half-good,Half Good,,active,acme,,,,HG-1,,500,EUR,,,,',
  'half-good,,,,,,,,HG-2,,-5,EUR,,,,maybe',
].join('\n');

describe('catalog bulk import (real HTTP, PostgreSQL and Redis)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let customer: string;

  const post = (payload: string, type: string, query = '', token: string | null = admin) =>
    fetch(`${api.url}/api/v1/admin/catalog/imports${query}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token && { authorization: `Bearer ${token}` }) },
      body: payload,
    });
  const imported = async (payload: string, type: string, query = '') => {
    const response = await post(payload, type, query);
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    return body(response);
  };
  const productRows = async () => (await api.db.query('SELECT slug FROM catalog.products ORDER BY slug')).rows.map((r: { slug: string }) => r.slug);
  const variantCount = async () => Number((await api.db.query('SELECT count(*) FROM catalog.variants')).rows[0].count);

  beforeAll(async () => {
    // A short idle timeout, which a long import must outlast.
    api = await startApi({ env: { IDLE_TIMEOUT_MS: '1000' } });
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const account = async (roles: ('customer' | 'admin')[]) =>
      (await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'import password', roles })).tokens.accessToken;
    admin = await account(['customer', 'admin']);
    customer = await account(['customer']);
    const create = (path: string, payload: object) =>
      fetch(`${api.url}/api/v1/admin/${path}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    await create('brands', { name: 'Acme', slug: 'acme' });
    await create('categories', { name: 'Shoes', slug: 'shoes' });
    await create('categories', { name: 'Jackets', slug: 'jackets' });
  });
  afterAll(() => api.close());

  it('a dry run checks the file and writes nothing', async () => {
    const report = await imported(CSV, 'text/csv', '?dryRun=true');
    expect(report).toMatchObject({ format: 'csv', dryRun: true, products: { created: 2, updated: 0, rejected: 5 }, rows: 9 });
    expect(report.rejected.map((r: { line: number }) => r.line)).toEqual([6, 7, 8, 9, 12]);
    expect(await productRows()).toEqual([]);
  });

  it('imports the good products of a CSV and reports every bad line with its line number, writing nothing of rejected products', async () => {
    const report = await imported(CSV, 'text/csv; charset=utf-8');
    expect(report).toMatchObject({ format: 'csv', dryRun: false, products: { created: 2, updated: 0, rejected: 5 }, rows: 9 });
    expect(report.rejected).toEqual([
      { line: 6, handle: 'bad-price', sku: 'BP-1', errors: [{ field: 'price_amount', message: 'amount must be an integer number' }] },
      { line: 7, handle: 'lost-brand', sku: 'LB-1', errors: [{ field: 'brand', message: 'no brand has the slug "nope"' }] },
      { line: 8, handle: 'copycat', sku: 'TS-42', errors: [{ field: 'sku', message: 'SKU TS-42 already appears at line 2' }] },
      { line: 9, handle: 'nameless', sku: 'NL-1', errors: [{ field: 'name', message: expect.stringMatching(/^name must be longer than or equal to 1/) }] },
      {
        line: 12,
        handle: 'half-good',
        sku: 'HG-2',
        errors: [
          { field: 'price_amount', message: 'amount must not be less than 0' },
          { field: 'in_stock', message: 'inStock must be a boolean value' },
        ],
      },
    ]);
    expect(await productRows()).toEqual(['rain-jacket', 'trail-shoe']);
    expect(await variantCount()).toBe(3);
    const events = await api.db.query(`SELECT payload->>'slug' AS slug FROM platform.outbox_events WHERE name = 'catalog.product-created' ORDER BY 1`);
    expect(events.rows.map((r: { slug: string }) => r.slug)).toEqual(['rain-jacket', 'trail-shoe']);
  });

  it('makes imported products readable at GET /products/:slug', async () => {
    const product = await body(await fetch(`${api.url}/api/v1/products/trail-shoe`));
    expect(product).toMatchObject({
      name: 'Trail Shoe',
      description: 'A shoe for trails.\nGrippy, light\nand "waterproof".',
      brand: { slug: 'acme' },
      categories: [{ slug: 'shoes' }],
      images: [{ url: 'https://cdn.example.com/trail.jpg' }],
      variants: [
        { sku: 'TS-42', options: { size: '42' }, price: { amount: 12900, currency: 'EUR' }, inStock: true },
        { sku: 'TS-43', options: { size: '43' }, price: { amount: 13900, currency: 'EUR' }, inStock: false },
      ],
    });
  });

  it('is idempotent: the same file again updates the products and upserts variants by SKU', async () => {
    const report = await imported(CSV.replace('12900', '11900'), 'text/csv');
    expect(report.products).toEqual({ created: 0, updated: 2, rejected: 5 });
    expect(await productRows()).toEqual(['rain-jacket', 'trail-shoe']);
    expect(await variantCount()).toBe(3);
    const product = await body(await fetch(`${api.url}/api/v1/products/trail-shoe`));
    expect(product.variants[0].price).toEqual({ amount: 11900, currency: 'EUR' });
    const updates = await api.db.query(`SELECT count(*) FROM platform.outbox_events WHERE name = 'catalog.product-updated'`);
    expect(Number(updates.rows[0].count)).toBe(2);
  });

  it('imports a JSON array with brand and category slugs, reporting bad products by index and line', async () => {
    const products = [
      { name: 'Wool Hat', slug: 'wool-hat', status: 'active', brand: 'acme', categories: ['jackets'], variants: [{ sku: 'WH-1', price: { amount: 2500, currency: 'EUR' } }] },
      { name: 'Thief', variants: [{ sku: 'RJ-M', price: { amount: 1, currency: 'EUR' } }] },
      { name: 'Bad', brandId: 'x', variants: [{ sku: 'B 1', price: { amount: 1, currency: 'eur' } }] },
    ];
    const text = JSON.stringify(products, null, 2);
    const report = await imported(text, 'application/json');
    expect(report).toMatchObject({ format: 'json', products: { created: 1, updated: 0, rejected: 2 }, rows: 3 });
    expect(report.rejected).toEqual([
      { index: 1, handle: 'thief', sku: 'RJ-M', errors: [{ field: 'variants.0.sku', message: 'SKU RJ-M belongs to another product ("rain-jacket")' }] },
      {
        index: 2,
        handle: 'bad',
        errors: expect.arrayContaining([{ field: 'brandId', message: 'property brandId should not exist' }]),
      },
    ]);
    expect(report.rejected[1].errors.map((e: { field: string }) => e.field).sort()).toEqual(['brandId', 'variants.0.price.currency', 'variants.0.sku']);
    expect(await productRows()).toEqual(['rain-jacket', 'trail-shoe', 'wool-hat']);
  });

  it('imports NDJSON, one product per line, a line that is not JSON being one rejected line', async () => {
    const ndjson = [
      JSON.stringify({ name: 'Trail Shoe', slug: 'trail-shoe', variants: [{ sku: 'TS-44', price: { amount: 14900, currency: 'EUR' } }] }),
      '',
      '{"name": "Broken",',
      JSON.stringify({ name: 'Scarf', status: 'active', variants: [{ sku: 'SC-1', price: { amount: 900, currency: 'EUR' } }] }),
    ].join('\n');
    const report = await imported(ndjson, 'application/x-ndjson');
    expect(report).toMatchObject({ format: 'ndjson', products: { created: 1, updated: 1, rejected: 1 }, rows: 3 });
    expect(report.rejected).toEqual([{ line: 3, errors: [{ field: 'line', message: expect.stringMatching(/^not JSON/) }] }]);
    const shoe = await body(await fetch(`${api.url}/api/v1/products/trail-shoe`));
    expect(shoe.variants.map((v: { sku: string }) => v.sku)).toEqual(['TS-42', 'TS-43', 'TS-44']);
    expect((await body(await fetch(`${api.url}/api/v1/products/scarf`))).name).toBe('Scarf');
  });

  it('answers 400 problem+json when the file cannot be read at all', async () => {
    for (const [payload, type, detail] of [
      ['name;price\nx;1', 'text/csv', /missing column/],
      ['', 'text/csv', /empty/],
      ['{"not": "an array"}', 'application/json', /array of products/],
    ] as const) {
      const response = await post(payload, type);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      expect((await body(response)).detail).toMatch(detail);
    }
    const malformed = await post('[{"name": ', 'application/json');
    expect(malformed.status).toBe(400);
    expect(await body(malformed)).toMatchObject({ code: 'REQUEST.MALFORMED_JSON' });
  });

  it('is for admins only: 403 for a customer, 401 without a token', async () => {
    expect((await post(CSV, 'text/csv', '', customer)).status).toBe(403);
    expect((await post(CSV, 'text/csv', '', null)).status).toBe(401);
  });

  it('takes CSV and NDJSON on the import route only; other routes still answer 415', async () => {
    const response = await fetch(`${api.url}/api/v1/admin/brands`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, body: 'name\nX' });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
  });

  it('takes bodies past the general body limit on the import route and answers after the idle timeout', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `big-${i},Big ${i},${'x'.repeat(100)},,,,,,BIG-${i},,100,EUR,,,,`);
    const csv = [CSV.split('\n')[0], ...rows].join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(api.env.BODY_LIMIT_BYTES);
    const started = performance.now();
    const report = await imported(csv, 'text/csv', '?dryRun=true');
    expect(report.products).toEqual({ created: 12_000, updated: 0, rejected: 0 });
    expect(performance.now() - started).toBeGreaterThan(Number(api.env.IDLE_TIMEOUT_MS));
  });

  describe('npm run catalog:import (its own process)', () => {
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'catalog-import-'));
      env = { DATABASE_URL: api.db.url, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}import-cli:`, JWT_SIGNING_KEY: testSigningKey() };
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('imports a file with a progress bar and summary, writes the report and exits 2 when rows were rejected', async () => {
      const file = join(dir, 'products.csv');
      const reportFile = join(dir, 'report.json');
      await writeFile(file, CSV.replace('rain-jacket,Rain Jacket', 'rain-jacket,Rain Coat'));
      const run = await runTsCommand(CLI, ['--file', file, '--report', reportFile], { env });
      expect(run.output).toMatch(/Importing: .* 9\/9 rows/);
      expect(run.output).toMatch(/Created 0, updated 2, rejected 5 products; 9 rows read/);
      expect(run.output).toMatch(/line 6 \(bad-price \/ BP-1\): price_amount: amount must be an integer number/);
      expect(run.code).toBe(2);
      const report = JSON.parse(await readFile(reportFile, 'utf8'));
      expect(report.rejected).toHaveLength(5);
      expect((await body(await fetch(`${api.url}/api/v1/admin/products/${(await api.db.query(`SELECT id FROM catalog.products WHERE slug = 'rain-jacket'`)).rows[0].id}`, { headers: { authorization: `Bearer ${admin}` } }))).name).toBe('Rain Coat');
    }, PROCESS_TEST_TIMEOUT_MS);

    it('exits 0 when every product imported, 1 with a usage line on a bad option or a missing file', async () => {
      const file = join(dir, 'good.ndjson');
      await writeFile(file, `${JSON.stringify({ name: 'Cap', variants: [{ sku: 'CAP-1', price: { amount: 1500, currency: 'EUR' } }] })}\n`);
      const good = await runTsCommand(CLI, ['--file', file, '--dry-run'], { env });
      expect(good.output).toMatch(/Dry run \(nothing written\): would create 1, update 0, rejected 0 products/);
      expect(good.code).toBe(0);
      for (const args of [['--file', join(dir, 'missing.csv')], ['--file', file, '--colour', 'red'], []]) {
        const usage = await runTsCommand(CLI, args, { env });
        expect(usage.code).toBe(1);
        expect(usage.output).toMatch(/Usage: npm run catalog:import -- --file <path>/);
      }
    }, PROCESS_TEST_TIMEOUT_MS);
  });
});
