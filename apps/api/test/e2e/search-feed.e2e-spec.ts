import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body, eventually } from '#testing';
import { startApi } from './api-harness.js';

// The index follows the catalog: admin writes -> outbox events -> BullMQ jobs -> search documents.
describe('search index fed from catalog events (real HTTP, PostgreSQL, Redis queue)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;

  const send = async (method: string, path: string, payload?: unknown) => {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return body(response);
  };
  const search = async (query: string) => body(await fetch(`${api.url}/api/v1/search?${query}`));

  beforeAll(async () => {
    api = await startApi({ env: { OUTBOX_POLL_INTERVAL_MS: '100' } });
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    admin = (await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'search feed password', roles: ['customer', 'admin'] })).tokens.accessToken;
  });
  afterAll(() => api.close());

  it('indexes a new active product with its brand, category ancestors and variant options, and drops it when archived', async () => {
    const brand = await send('POST', '/admin/brands', { name: 'Zephyr Gear' });
    const outdoor = await send('POST', '/admin/categories', { name: 'Outdoor' });
    const tents = await send('POST', '/admin/categories', { name: 'Tents', parentId: outdoor.id });
    const product = await send('POST', '/admin/products', {
      name: 'Quasar Ultralight Tent', status: 'active', brandId: brand.id, categoryIds: [tents.id],
      attributes: { color: ['green'] },
      variants: [{ sku: 'QUASAR-1P', options: { capacity: '1p' }, price: { amount: 29900, currency: 'EUR' } }, { sku: 'QUASAR-2P', options: { capacity: '2p' }, price: { amount: 34900, currency: 'EUR' } }],
    });

    await eventually(async () => (await search('q=quasar')).total === 1, 10_000, 100);
    const found = await search('q=quasar&category=outdoor&attr.capacity=2p');
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ productId: product.id, slug: 'quasar-ultralight-tent', priceMin: 29900, priceMax: 34900 });
    expect(found.facets.brand).toEqual([expect.objectContaining({ value: 'zephyr-gear', count: 1 })]);

    await send('PATCH', `/admin/brands/${brand.id}`, { name: 'Zephyr Outdoor Gear' });
    await eventually(async () => (await search('q=quasar')).facets.brand[0]?.label === 'Zephyr Outdoor Gear', 10_000, 100);

    await send('DELETE', `/admin/products/${product.id}`);
    await eventually(async () => (await search('q=quasar')).total === 0, 10_000, 100);
  });

  it('keeps drafts out of the index until they are published', async () => {
    const draft = await send('POST', '/admin/products', { name: 'Nebula Draft Lantern', variants: [{ sku: 'NEBULA-1', price: { amount: 1999, currency: 'EUR' } }] });
    await new Promise((done) => setTimeout(done, 1000));
    expect((await search('q=nebula')).total).toBe(0);
    await send('PATCH', `/admin/products/${draft.id}`, { status: 'active' });
    await eventually(async () => (await search('q=nebula')).total === 1, 10_000, 100);
  });
});
