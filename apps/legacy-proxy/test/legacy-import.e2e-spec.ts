// npm run legacy:import's work against the real legacy seed (docker/legacy-php, set up by PHP)
// and the real API: everything copied once, counts checked, a second run creates nothing.
import { createTestDatabase, setUpLegacyDatabase, type TestDatabase } from '#testing';
import { type RunningApi, startApi } from '../../api/test/e2e/api-harness.js';
import { legacyImport } from '../src/import/legacy-import.js';
import { accountTokens } from './admin-client.js';

const SECRET = 'proxy-exchange-secret-for-tests';
const SEED = { category: 9, product: 200, customer: 5, order: 12 };
// two whole imports (about 450 API calls): 7 s alone, over 30 s with the suite on a slow machine
const IMPORT_TWICE_TIMEOUT_MS = 120_000;

describe('npm run legacy:import (real legacy seed, real API)', () => {
  let api: RunningApi & { db: TestDatabase };
  let legacy: TestDatabase;
  let admin: string;
  const run = () => legacyImport({ apiUrl: api.url, legacyDatabaseUrl: legacy.url, databaseUrl: api.db.url, adminToken: admin, exchangeSecret: SECRET });
  const get = async (path: string) => (await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${admin}` } })).json() as Promise<any>;

  beforeAll(async () => {
    api = await startApi({ env: { PROXY_EXCHANGE_SECRET: SECRET } });
    legacy = await createTestDatabase({ migrated: false });
    await setUpLegacyDatabase({ ...process.env, LEGACY_DATABASE_URL: legacy.url });
    admin = (await accountTokens(api)).admin;
  });
  afterAll(async () => {
    await legacy?.drop();
    await api?.close();
  });

  it('copies every category, product, customer and order once; a second run creates nothing and still counts them all', async () => {
    const first = await run();
    expect(first.ok).toBe(true);
    for (const [kind, count] of Object.entries(SEED)) expect([kind, first.report[kind as keyof typeof SEED]]).toEqual([kind, { legacy: count, imported: count, created: count }]);

    const second = await run();
    expect(second.ok).toBe(true);
    for (const [kind, count] of Object.entries(SEED)) expect([kind, second.report[kind as keyof typeof SEED]]).toEqual([kind, { legacy: count, imported: count, created: 0 }]);
    const { rows } = await api.db.query("SELECT count(*)::int AS n FROM orders.orders WHERE number LIKE 'L%'");
    expect(rows[0].n).toBe(SEED.order);
  }, IMPORT_TWICE_TIMEOUT_MS);

  it('keeps what the legacy rows said: prices, statuses, lines, the customer and their name', async () => {
    const product = await get('/api/v1/products/legacy-kit-0001');
    const legacyProduct = (await legacy.query("SELECT name, price_cents FROM legacy.products WHERE sku = 'KIT-0001'")).rows[0];
    expect(product).toMatchObject({ name: legacyProduct.name, variants: [expect.objectContaining({ sku: 'KIT-0001', price: { amount: legacyProduct.price_cents, currency: 'EUR' } })] });

    const ann = (await api.db.query("SELECT id FROM identity.accounts WHERE email = 'ann@example.com'")).rows[0].id;
    const order = (await api.db.query("SELECT id, status, customer_id, total, placed_at FROM orders.orders WHERE number = 'L100001'")).rows[0];
    const legacyOrder = (await legacy.query("SELECT total_cents, created_at FROM legacy.orders WHERE order_number = 'L100001'")).rows[0];
    expect(order).toMatchObject({ status: 'shipped', customer_id: ann, total: legacyOrder.total_cents, placed_at: legacyOrder.created_at });
    const view = await get(`/api/v1/admin/orders/${order.id}`);
    const legacyLines = (await legacy.query("SELECT i.sku, i.quantity FROM legacy.order_items i JOIN legacy.orders o ON o.id = i.order_id WHERE o.order_number = 'L100001' ORDER BY i.id")).rows;
    expect(view.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual(legacyLines.map((l) => [l.sku, l.quantity]));
    // legacy "pending" was never paid: it arrives cancelled
    expect((await api.db.query("SELECT status FROM orders.orders WHERE number = 'L100011'")).rows[0].status).toBe('cancelled');
    expect((await api.db.query('SELECT name FROM customers.customers WHERE id = $1', [ann])).rows[0].name).toBe('Ann Archer');
  });

  it('fails the count check when something it imported is gone from the API', async () => {
    await api.db.query("UPDATE legacy_import.id_map SET new_id = gen_random_uuid() WHERE kind = 'order' AND legacy_id = 'L100002'");
    const broken = await run();
    expect(broken.ok).toBe(false);
    expect(broken.report.order).toEqual({ legacy: SEED.order, imported: SEED.order - 1, created: 0 });
  });
});
