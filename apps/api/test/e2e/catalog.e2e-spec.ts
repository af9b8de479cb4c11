import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { MetricsRegistry } from '#platform';
import { body } from '#testing';
import { startApi } from './api-harness.js';

describe('catalog: admin writes, public reads (real HTTP and PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let customer: string;

  const send = (method: string, path: string, payload?: unknown, token = admin) =>
    fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const created = async (path: string, payload: unknown) => {
    const response = await send('POST', path, payload);
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return body(response);
  };
  const get = (path: string) => fetch(`${api.url}/api/v1${path}`, { redirect: 'manual' });

  const variant = (sku: string, amount: number, extra: object = {}) => ({ sku, price: { amount, currency: 'EUR' }, ...extra });

  let shoes: { id: string };
  let trail: { id: string };
  let kids: { id: string };
  let acme: { id: string; slug: string };

  beforeAll(async () => {
    // No background outbox polling while a test counts queries.
    api = await startApi({ env: { OUTBOX_POLL_INTERVAL_MS: '600000' } });
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const account = async (roles: ('customer' | 'admin')[]) =>
      (await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'catalog password', roles })).tokens.accessToken;
    admin = await account(['customer', 'admin']);
    customer = await account(['customer']);

    acme = await created('/admin/brands', { name: 'Acme Outdoor' });
    const other = await created('/admin/brands', { name: 'Other Brand' });
    shoes = await created('/admin/categories', { name: 'Shoes' });
    trail = await created('/admin/categories', { name: 'Trail running', parentId: shoes.id });
    kids = await created('/admin/categories', { name: 'Kids trail', parentId: trail.id });
    const jackets = await created('/admin/categories', { name: 'Jackets' });

    await created('/admin/products', {
      name: 'Summit Trail Shoe', status: 'active', brandId: acme.id, categoryIds: [trail.id],
      attributes: { color: ['red'], material: ['mesh'] },
      images: [{ url: 'https://cdn.example.com/summit-1.jpg', alt: 'Side' }, { url: 'https://cdn.example.com/summit-2.jpg' }],
      variants: [variant('SUMMIT-42', 12900, { options: { size: '42' } }), variant('SUMMIT-43', 13900, { options: { size: '43' } })],
    });
    await created('/admin/products', {
      name: 'Little Trail Shoe', status: 'active', brandId: acme.id, categoryIds: [kids.id], attributes: { color: ['blue'] },
      variants: [variant('LITTLE-30', 5900, { inStock: false })],
    });
    await created('/admin/products', {
      name: 'Rain Jacket', status: 'active', brandId: other.id, categoryIds: [jackets.id], attributes: { color: ['red'] },
      variants: [variant('RAIN-M', 19900)],
    });
    await created('/admin/products', { name: 'Secret Draft Shoe', categoryIds: [trail.id], variants: [variant('DRAFT-1', 100)] });
  });
  afterAll(() => api.close());

  const names = async (query: string) => (await body(await get(`/products${query}`))).items.map((p: { name: string }) => p.name);

  describe('GET /products', () => {
    it('lists active products only, newest first, with variants, brand, categories and images', async () => {
      const page = await body(await get('/products'));
      expect(page).toMatchObject({ total: 3, page: 1, pageSize: 20 });
      expect(page.items.map((p: { name: string }) => p.name)).toEqual(['Rain Jacket', 'Little Trail Shoe', 'Summit Trail Shoe']);
      const summit = page.items[2];
      expect(summit).toMatchObject({
        slug: 'summit-trail-shoe',
        brand: { slug: 'acme-outdoor', name: 'Acme Outdoor' },
        categories: [{ slug: 'trail-running' }],
        images: [{ url: 'https://cdn.example.com/summit-1.jpg', alt: 'Side', position: 0 }, { position: 1 }],
        variants: [
          { sku: 'SUMMIT-42', options: { size: '42' }, price: { amount: 12900, currency: 'EUR' }, inStock: true },
          { sku: 'SUMMIT-43', price: { amount: 13900, currency: 'EUR' } },
        ],
        inStock: true,
      });
    });

    it('filters by category including its descendants, brand, price range, stock and attributes', async () => {
      expect(await names('?category=shoes')).toEqual(['Little Trail Shoe', 'Summit Trail Shoe']);
      expect(await names('?category=kids-trail')).toEqual(['Little Trail Shoe']);
      expect(await names('?brand=acme-outdoor&inStock=true')).toEqual(['Summit Trail Shoe']);
      expect(await names('?minPrice=10000&maxPrice=15000')).toEqual(['Summit Trail Shoe']);
      expect(await names('?attr.color=red')).toEqual(['Rain Jacket', 'Summit Trail Shoe']);
      expect(await names('?attr.color=red,blue&attr.material=mesh')).toEqual(['Summit Trail Shoe']);
    });

    it('sorts by price, name and newest, and pages with a total', async () => {
      expect(await names('?sort=price_asc')).toEqual(['Little Trail Shoe', 'Summit Trail Shoe', 'Rain Jacket']);
      expect(await names('?sort=price_desc')).toEqual(['Rain Jacket', 'Summit Trail Shoe', 'Little Trail Shoe']);
      expect(await names('?sort=name')).toEqual(['Little Trail Shoe', 'Rain Jacket', 'Summit Trail Shoe']);
      const second = await body(await get('/products?sort=name&page=2&pageSize=2'));
      expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
      expect(second.items.map((p: { name: string }) => p.name)).toEqual(['Summit Trail Shoe']);
    });

    it('answers an unknown category or brand with an empty page', async () => {
      expect(await body(await get('/products?category=no-such-thing'))).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
      expect((await body(await get('/products?brand=nobody'))).total).toBe(0);
    });

    it('rejects a page size over 100, minPrice over maxPrice, an unknown sort and unknown parameters with 400', async () => {
      for (const query of ['?pageSize=101', '?minPrice=500&maxPrice=100', '?sort=cheapest', '?colour=red', '?page=0', '?minPrice=-1']) {
        const response = await get(`/products${query}`);
        expect([query, response.status, response.headers.get('content-type')]).toEqual([query, 400, expect.stringMatching(/problem\+json/)]);
      }
    });

    it('reads a page in the same number of queries whatever its size (no N+1)', async () => {
      const bulk = await created('/admin/categories', { name: 'Bulk' });
      for (let i = 0; i < 30; i += 1) {
        await created('/admin/products', {
          name: `Bulk product ${i}`, status: 'active', brandId: acme.id, categoryIds: [bulk.id], images: [{ url: `https://cdn.example.com/b${i}.jpg` }],
          variants: [variant(`BULK-${i}-A`, 1000 + i), variant(`BULK-${i}-B`, 2000 + i)],
        });
      }
      const queries = api.app.get(MetricsRegistry).dbQueries;
      const total = async () => (await queries.get()).values[0]?.value ?? 0;
      // Let the outbox relay finish delivering the setup's events: its queries would count too.
      for (let last = -1, now = await total(); now !== last; last = now, now = await total()) await new Promise((done) => setTimeout(done, 300));
      const count = async (query: string) => {
        const before = (await queries.get()).values[0]?.value ?? 0;
        expect((await get(`/products${query}`)).status).toBe(200);
        return ((await queries.get()).values[0]?.value ?? 0) - before;
      };
      const one = await count('?pageSize=5&category=bulk');
      const all = await count('?pageSize=25&category=bulk');
      expect([one, all]).toEqual([one, one]);
      expect(all).toBeLessThanOrEqual(9); // the page, its graph, brands, taxonomy, and the tree for the details cached on the way
    });
  });

  describe('GET /products/:slug', () => {
    it('answers the product with breadcrumbs, root first', async () => {
      const response = await get('/products/little-trail-shoe');
      expect(response.status).toBe(200);
      const product = await body(response);
      expect(product.breadcrumbs.map((c: { slug: string }) => c.slug)).toEqual(['shoes', 'trail-running', 'kids-trail']);
      expect(product.variants[0]).toMatchObject({ sku: 'LITTLE-30', inStock: false });
    });

    it('hides drafts and archived products (404)', async () => {
      expect((await get('/products/secret-draft-shoe')).status).toBe(404);
      const doomed = await created('/admin/products', { name: 'Doomed Shoe', status: 'active', variants: [variant('DOOMED-1', 100)] });
      expect((await get('/products/doomed-shoe')).status).toBe(200);
      expect((await send('DELETE', `/admin/products/${doomed.id}`)).status).toBe(200);
      expect((await get('/products/doomed-shoe')).status).toBe(404);
      expect(await names('')).not.toContain('Doomed Shoe');
    });

    it('redirects an old slug to the current one (301 with Location)', async () => {
      const product = await created('/admin/products', { name: 'Renamed Shoe', status: 'active', variants: [variant('RENAMED-1', 100)] });
      expect((await send('PATCH', `/admin/products/${product.id}`, { slug: 'better-name-shoe' })).status).toBe(200);
      const old = await get('/products/renamed-shoe');
      expect(old.status).toBe(301);
      expect(old.headers.get('location')).toBe('/api/v1/products/better-name-shoe');
      expect((await get('/products/better-name-shoe')).status).toBe(200);
    });
  });

  describe('categories', () => {
    it('answers the tree and a category with breadcrumbs and children', async () => {
      const tree = await body(await get('/categories'));
      const shoesNode = tree.find((c: { slug: string }) => c.slug === 'shoes');
      expect(shoesNode.children[0]).toMatchObject({ slug: 'trail-running', children: [{ slug: 'kids-trail', children: [] }] });
      const detail = await body(await get('/categories/trail-running'));
      expect(detail.breadcrumbs.map((c: { slug: string }) => c.slug)).toEqual(['shoes', 'trail-running']);
      expect(detail.children.map((c: { slug: string }) => c.slug)).toEqual(['kids-trail']);
      expect((await get('/categories/nope')).status).toBe(404);
    });

    it('moves a subtree with its category, and refuses a move under its own descendant', async () => {
      const gear = await created('/admin/categories', { name: 'Gear' });
      const packs = await created('/admin/categories', { name: 'Packs', parentId: gear.id });
      const daypacks = await created('/admin/categories', { name: 'Daypacks', parentId: packs.id });
      expect((await send('PATCH', `/admin/categories/${gear.id}`, { parentId: daypacks.id })).status).toBe(409);
      expect((await send('PATCH', `/admin/categories/${packs.id}`, { parentId: shoes.id })).status).toBe(200);
      const detail = await body(await get('/categories/daypacks'));
      expect(detail.breadcrumbs.map((c: { slug: string }) => c.slug)).toEqual(['shoes', 'packs', 'daypacks']);
    });

    it('will not delete a category that has products or subcategories', async () => {
      expect((await send('DELETE', `/admin/categories/${kids.id}`)).status).toBe(409);
      expect((await send('DELETE', `/admin/categories/${trail.id}`)).status).toBe(409);
      const empty = await created('/admin/categories', { name: 'Empty' });
      expect((await send('DELETE', `/admin/categories/${empty.id}`)).status).toBe(204);
    });
  });

  describe('caching', () => {
    it('answers public reads with an ETag, Cache-Control and 304 for a matching If-None-Match', async () => {
      const first = await get('/products?category=shoes');
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"/);
      expect(first.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
      const again = await fetch(`${api.url}/api/v1/products?category=shoes`, { headers: { 'if-none-match': etag as string } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    });

    it('answers a repeated anonymous read from process memory before routing; never a request with a token', async () => {
      const path = `${api.url}/api/v1/products?category=shoes&sort=price_asc`;
      const first = await fetch(path);
      expect(first.headers.get('x-ratelimit-limit')).not.toBeNull(); // went through the guards and the handler
      const firstBody = await first.text();
      const hits = await catalogHits();
      const again = await fetch(path);
      expect(again.headers.get('x-ratelimit-limit')).toBeNull(); // answered before routing
      expect([await again.text(), again.headers.get('etag'), again.headers.get('content-type')]).toEqual([firstBody, first.headers.get('etag'), first.headers.get('content-type')]);
      expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect(await catalogHits()).toBe(hits + 1);
      const withToken = await fetch(path, { headers: { authorization: `Bearer ${customer}` } });
      expect(withToken.headers.get('x-ratelimit-limit')).not.toBeNull();
      expect(withToken.headers.get('cache-control')).toMatch(/^private/);
    });

    it('caches the detail of every product a listing shows: opening one from the listing costs no query', async () => {
      const page = await body(await get('/products?category=shoes&sort=name&pageSize=3'));
      const queries = api.app.get(MetricsRegistry).dbQueries;
      const before = (await queries.get()).values[0]?.value ?? 0;
      const detail = await body(await get(`/products/${page.items[1].slug}`));
      expect(((await queries.get()).values[0]?.value ?? 0) - before).toBe(0);
      expect(detail).toMatchObject({ slug: page.items[1].slug, name: page.items[1].name, breadcrumbs: expect.any(Array) });
      expect(detail.breadcrumbs.length).toBeGreaterThan(0);
    });

    it('serves a repeated read without the database, and the new data right after an admin update, on every instance', async () => {
      const second = await startApi({ db: api.db, env: { OUTBOX_POLL_INTERVAL_MS: '600000' } });
      try {
        const product = await created('/admin/products', { name: 'Cache Shoe', status: 'active', variants: [variant('CACHE-1', 1000)] });
        const read = async (base: string) => (await body(await fetch(`${base}/api/v1/products/cache-shoe`))).name;
        expect(await read(api.url)).toBe('Cache Shoe');
        expect(await read(second.url)).toBe('Cache Shoe');
        const queries = second.app.get(MetricsRegistry).dbQueries;
        const before = (await queries.get()).values[0]?.value ?? 0;
        expect(await read(second.url)).toBe('Cache Shoe');
        expect(((await queries.get()).values[0]?.value ?? 0) - before).toBe(0);

        expect((await send('PATCH', `/admin/products/${product.id}`, { name: 'Cache Shoe Mk II' })).status).toBe(200);
        expect(await read(api.url)).toBe('Cache Shoe Mk II');
        expect(await read(second.url)).toBe('Cache Shoe Mk II');
        expect(await names('?pageSize=100')).toContain('Cache Shoe Mk II');
      } finally {
        await second.close();
      }
    });

    it('shows a category rename in the tree at once', async () => {
      await get('/categories');
      expect((await send('PATCH', `/admin/categories/${kids.id}`, { name: 'Kids trail running' })).status).toBe(200);
      const tree = await body(await get('/categories'));
      expect(JSON.stringify(tree)).toContain('Kids trail running');
    });
  });

  async function catalogHits(): Promise<number> {
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    return Number(/^cache_reads_total\{cache="catalog",result="hit"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
  }

  describe('admin writes', () => {
    it('customers get 403 and anonymous callers 401 on admin routes', async () => {
      expect((await send('POST', '/admin/brands', { name: 'Nope' }, customer)).status).toBe(403);
      expect((await fetch(`${api.url}/api/v1/admin/brands`)).status).toBe(401);
    });

    it('refuses a taken slug or SKU with 409 and mixed currencies with 400, writing nothing', async () => {
      const slug = await send('POST', '/admin/products', { name: 'Summit Trail Shoe', variants: [variant('NEW-SKU-1', 100)] });
      expect(slug.status).toBe(409);
      expect(await body(slug)).toMatchObject({ code: 'CATALOG.SLUG_TAKEN' });
      const sku = await send('POST', '/admin/products', { name: 'Another Shoe', variants: [variant('SUMMIT-42', 100)] });
      expect(sku.status).toBe(409);
      expect(await body(sku)).toMatchObject({ code: 'CATALOG.SKU_TAKEN' });
      const mixed = await send('POST', '/admin/products', { name: 'Mixed Shoe', variants: [variant('MIX-1', 100), { sku: 'MIX-2', price: { amount: 100, currency: 'USD' } }] });
      expect(mixed.status).toBe(400);
      expect((await api.db.query(`SELECT count(*)::int AS n FROM catalog.products WHERE name IN ('Another Shoe', 'Mixed Shoe')`)).rows[0].n).toBe(0);
    });

    it('validates money, options, attributes and unknown fields', async () => {
      const bad = [
        { name: 'X', variants: [{ sku: 'X-1', price: { amount: 9.99, currency: 'EUR' } }] },
        { name: 'X', variants: [{ sku: 'X-1', price: { amount: 100, currency: 'euro' } }] },
        { name: 'X', attributes: { Color: 'red' }, variants: [] },
        { name: 'X', variants: [], stock: 5 },
        { name: 'x'.repeat(201), variants: [] },
      ];
      for (const payload of bad) expect((await send('POST', '/admin/products', payload)).status).toBe(400);
    });

    it('keeps the price range and stock flag in step with the variants', async () => {
      const product = await created('/admin/products', { name: 'Range Shoe', status: 'active', variants: [variant('RANGE-1', 1000)] });
      expect((await send('POST', `/admin/products/${product.id}/variants`, variant('RANGE-2', 5000))).status).toBe(201);
      expect(await names('?minPrice=4000&maxPrice=6000')).toContain('Range Shoe');
      expect((await send('PATCH', '/admin/variants/RANGE-2', { price: { amount: 2000, currency: 'EUR' } })).status).toBe(200);
      expect(await names('?minPrice=4000&maxPrice=6000')).not.toContain('Range Shoe');
      expect((await send('DELETE', '/admin/variants/RANGE-1')).status).toBe(204);
      expect((await send('PATCH', '/admin/variants/RANGE-2', { inStock: false })).status).toBe(200);
      expect(await names('?inStock=false&pageSize=100')).toContain('Range Shoe');
      expect(await names('?inStock=true&pageSize=100')).not.toContain('Range Shoe');
    });

    it('publishes a versioned event for every write through the outbox', async () => {
      const { rows } = await api.db.query(`SELECT name, version, payload FROM platform.outbox_events WHERE name LIKE 'catalog.%' ORDER BY occurred_at`);
      const names = new Set(rows.map((r: { name: string }) => r.name));
      expect(names).toEqual(new Set(['catalog.brand-changed', 'catalog.category-changed', 'catalog.product-created', 'catalog.product-updated', 'catalog.product-archived']));
      expect(rows.every((r: { version: number }) => r.version === 1)).toBe(true);
      expect(rows.find((r: { name: string }) => r.name === 'catalog.product-archived').payload).toMatchObject({ slug: 'doomed-shoe', status: 'archived' });
    });
  });
});
