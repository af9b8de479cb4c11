import { randomUUID } from 'node:crypto';
import { anonymousContext, CART_API, type CartApi, IDENTITY_API, type IdentityApi, systemContext } from '#contracts';
import { MetricsRegistry } from '#platform';
import { body } from '#testing';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;
const PASSWORD = 'cart e2e password';
const ADDRESS = { firstName: 'Ada', lastName: 'Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

interface Caller {
  token?: string | null;
  cart?: string | null;
}

describe('carts: guest and customer carts, bad input, merge on login, prices and coupons (real HTTP, PostgreSQL, Redis)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let shoes: { id: string };

  const send = (method: string, path: string, payload?: unknown, who: Caller = {}, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        ...(who.token ? { authorization: `Bearer ${who.token}` } : {}),
        ...(who.cart ? { 'x-cart-token': who.cart } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const ok = async (response: Response, status = 200) => {
    if (response.status !== status) throw new Error(`${response.status} ${await response.text()}`);
    return body(response);
  };
  const problem = async (response: Response, status: number) => {
    expect([response.status, response.headers.get('content-type')]).toEqual([status, expect.stringMatching(PROBLEM)]);
    return body(response);
  };
  const created = async (method: string, path: string, payload?: unknown) => {
    const response = await send(method, path, payload, { token: admin });
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return body(response);
  };
  const product = (name: string, sku: string, amount: number, extra: object = {}, currency = 'EUR') =>
    created('POST', '/admin/products', { name, status: 'active', variants: [{ sku, price: { amount, currency } }], ...extra });
  const stock = (sku: string, delta: number) => created('POST', `/admin/inventory/${sku}/adjustments`, { delta, reason: 'delivery', kind: 'received' });

  /** A guest cart and the caller that may use it. */
  const guestCart = async () => {
    const response = await send('POST', '/carts', {});
    const cart = await ok(response, 201);
    return { cart, who: { cart: cart.token as string } };
  };
  const add = (cartId: string, who: Caller, sku: string, quantity: number, headers: Record<string, string> = {}) =>
    send('POST', `/carts/${cartId}/items`, { sku, quantity }, who, headers);

  /** Registered and signed in over HTTP, as a shopper does. */
  const customer = async () => {
    const email = `shopper-${randomUUID()}@example.com`;
    expect((await send('POST', '/auth/register', { email, password: PASSWORD, name: 'Ada Shopper' })).status).toBe(201);
    const login = await ok(await send('POST', '/auth/login', { email, password: PASSWORD }));
    return { token: login.accessToken as string };
  };

  beforeAll(async () => {
    // No background outbox polling while a test counts queries.
    api = await startApi({ env: { OUTBOX_POLL_INTERVAL_MS: '600000', LOGIN_LIMIT_PER_IP: '1000', CART_MAX_LINE_QUANTITY: '20', SHIPPING_FLAT_RATES: 'standard:499,express:1299' } });
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    admin = (await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: PASSWORD, roles: ['customer', 'admin'] })).tokens.accessToken;

    const brand = await created('POST', '/admin/brands', { name: 'Cart Brand' });
    shoes = await created('POST', '/admin/categories', { name: 'Cart Shoes' });
    const trail = await created('POST', '/admin/categories', { name: 'Cart Trail', parentId: shoes.id });
    await product('Cart Mug', 'MUG-1', 1200);
    await product('Cart Cup', 'CUP-1', 500);
    await product('Trail Shoe', 'SHOE-42', 8000, { brandId: brand.id, categoryIds: [trail.id] });
    await product('Price Mover', 'MOVER-1', 1000);
    await created('POST', '/admin/products', { name: 'Draft Thing', variants: [{ sku: 'DRAFT-1', price: { amount: 100, currency: 'EUR' } }] });
    await product('Dollar Cap', 'CAP-USD', 2000, {}, 'USD');
    await product('Empty Shelf', 'NOSTOCK-1', 700);
    for (const [sku, units] of [['MUG-1', 50], ['CUP-1', 50], ['SHOE-42', 5], ['MOVER-1', 50], ['DRAFT-1', 10], ['CAP-USD', 10]] as const) await stock(sku, units);
  });
  afterAll(() => api.close());

  describe('POST /carts', () => {
    it('gives a guest an empty cart and an opaque token, in the body and in X-Cart-Token', async () => {
      const response = await send('POST', '/carts', {});
      expect(response.status).toBe(201);
      const cart = await body(response);
      expect(cart).toMatchObject({
        id: expect.any(String), token: expect.stringMatching(/^[\w-]{32,}$/), customerId: null, status: 'open', currency: 'EUR', lines: [],
        totals: { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 }, coupons: [], shippingAddress: null, shippingMethod: null, version: 1,
      });
      expect(response.headers.get('x-cart-token')).toBe(cart.token);
      const { rows } = await api.db.query('SELECT token_hash FROM cart.carts WHERE id = $1', [cart.id]);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].token_hash).not.toContain(cart.token);
    });

    it('takes the currency from the body, refusing one that is not ISO 4217', async () => {
      expect((await ok(await send('POST', '/carts', { currency: 'USD' }), 201)).currency).toBe('USD');
      expect((await problem(await send('POST', '/carts', { currency: 'euro' }), 400)).code).toBe('REQUEST.VALIDATION_FAILED');
    });

    it("binds a customer's cart to them without a token, and gives the open one back", async () => {
      const shopper = await customer();
      const first = await ok(await send('POST', '/carts', {}, shopper), 201);
      expect(first).toMatchObject({ token: null, customerId: expect.any(String), status: 'open' });
      expect((await ok(await send('POST', '/carts', {}, shopper), 201)).id).toBe(first.id);
      expect((await ok(await send('GET', `/carts/${first.id}`, undefined, shopper))).id).toBe(first.id);
    });

    it('refuses a Bearer token it cannot verify (401), rather than treating the caller as a guest', async () => {
      expect((await problem(await send('POST', '/carts', {}, { token: 'not.a.jwt' }), 401)).code).toBe('AUTH.TOKEN_INVALID');
    });
  });

  describe('access', () => {
    it("answers 404 for another customer's cart, a guest cart without or with a wrong token, and a customer's cart asked for by a guest", async () => {
      const [alice, bob] = [await customer(), await customer()];
      const alicesCart = await ok(await send('POST', '/carts', {}, alice), 201);
      const { cart: guest, who } = await guestCart();
      const notFound = [
        send('GET', `/carts/${alicesCart.id}`, undefined, bob),
        add(alicesCart.id, bob, 'MUG-1', 1),
        send('GET', `/carts/${alicesCart.id}`, undefined, who),
        send('GET', `/carts/${guest.id}`),
        send('GET', `/carts/${guest.id}`, undefined, { cart: 'wrong-token' }),
        add(guest.id, {}, 'MUG-1', 1),
        send('GET', `/carts/${guest.id}`, undefined, bob),
        send('GET', `/carts/${randomUUID()}`, undefined, who),
      ];
      for (const response of await Promise.all(notFound)) expect((await problem(response, 404)).code).toBe('CART.NOT_FOUND');
      expect((await ok(await send('GET', `/carts/${guest.id}`, undefined, who))).id).toBe(guest.id);
      expect((await problem(await send('GET', '/carts/not-a-uuid', undefined, who), 400)).code).toBe('REQUEST.VALIDATION_FAILED');
    });
  });

  describe('lines', () => {
    it('adds items (201, the whole cart), same SKU to the same line, changes and removes lines with totals each time', async () => {
      const { cart, who } = await guestCart();
      const first = await add(cart.id, who, 'MUG-1', 2);
      expect(first.status).toBe(201);
      const one = await body(first);
      expect(one.lines).toEqual([{
        id: expect.any(String), sku: 'MUG-1', productId: expect.any(String), productName: 'Cart Mug', options: {}, quantity: 2,
        unitPrice: 1200, subtotal: 2400, discount: 0, tax: expect.any(Number), total: expect.any(Number), previousUnitPrice: null,
      }]);
      expect(one.totals).toMatchObject({ subtotal: 2400, discount: 0, shipping: 0 });
      const two = await ok(await add(cart.id, who, 'MUG-1', 3), 201);
      expect(two.lines.map((l: { id: string; quantity: number }) => [l.id, l.quantity])).toEqual([[one.lines[0].id, 5]]);
      const three = await ok(await add(cart.id, who, 'CUP-1', 1), 201);
      expect(three.totals.subtotal).toBe(5 * 1200 + 500);
      expect(three.version).toBe(4);

      const cup = three.lines.find((l: { sku: string }) => l.sku === 'CUP-1');
      const patched = await ok(await send('PATCH', `/carts/${cart.id}/items/${cup.id}`, { quantity: 4 }, who));
      expect(patched.totals.subtotal).toBe(6000 + 2000);
      const removed = await ok(await send('DELETE', `/carts/${cart.id}/items/${cup.id}`, undefined, who));
      expect(removed.lines.map((l: { sku: string }) => l.sku)).toEqual(['MUG-1']);
      expect((await problem(await send('DELETE', `/carts/${cart.id}/items/${cup.id}`, undefined, who), 404)).code).toBe('CART.LINE_NOT_FOUND');
      expect((await problem(await send('PATCH', `/carts/${cart.id}/items/${cup.id}`, { quantity: 1 }, who), 404)).code).toBe('CART.LINE_NOT_FOUND');
      const empty = await guestCart();
      expect((await problem(await send('DELETE', `/carts/${empty.cart.id}/items/${cup.id}`, undefined, empty.who), 404)).code).toBe('CART.LINE_NOT_FOUND');
      expect(await ok(await send('GET', `/carts/${cart.id}`, undefined, who))).toEqual(removed);
    });

    it('refuses quantities <= 0 or above the per-line maximum with 400, also when adding to a line would pass it', async () => {
      const { cart, who } = await guestCart();
      for (const quantity of [0, -1, 1.5, '2', 21]) {
        expect((await problem(await add(cart.id, who, 'MUG-1', quantity as number), 400)).status).toBe(400);
      }
      const line = (await ok(await add(cart.id, who, 'MUG-1', 15), 201)).lines[0];
      expect(await problem(await add(cart.id, who, 'MUG-1', 6), 400)).toMatchObject({ code: 'CART.QUANTITY_INVALID', max: 20 });
      for (const quantity of [0, 21]) expect((await problem(await send('PATCH', `/carts/${cart.id}/items/${line.id}`, { quantity }, who), 400)).status).toBe(400);
      expect((await problem(await send('POST', `/carts/${cart.id}/items`, { sku: 'MUG-1', quantity: 1, price: 1 }, who), 400)).code).toBe('REQUEST.VALIDATION_FAILED');
      expect((await ok(await send('GET', `/carts/${cart.id}`, undefined, who))).lines[0].quantity).toBe(15);
    });

    it('answers 404 for an unknown SKU, 422 for an inactive product or another currency, 409 above the stock', async () => {
      const { cart, who } = await guestCart();
      expect(await problem(await add(cart.id, who, 'NO-SUCH-SKU', 1), 404)).toMatchObject({ code: 'CART.SKU_NOT_FOUND', sku: 'NO-SUCH-SKU' });
      expect(await problem(await add(cart.id, who, 'DRAFT-1', 1), 422)).toMatchObject({ code: 'CART.NOT_PURCHASABLE', skus: ['DRAFT-1'] });
      expect(await problem(await add(cart.id, who, 'CAP-USD', 1), 422)).toMatchObject({ code: 'CART.CURRENCY_MISMATCH', skuCurrency: 'USD', cartCurrency: 'EUR' });
      expect(await problem(await add(cart.id, who, 'SHOE-42', 6), 409)).toMatchObject({ code: 'CART.OUT_OF_STOCK', sku: 'SHOE-42', requested: 6, available: 5 });
      expect(await problem(await add(cart.id, who, 'NOSTOCK-1', 1), 409)).toMatchObject({ code: 'CART.OUT_OF_STOCK', available: 0 });
      const shoe = (await ok(await add(cart.id, who, 'SHOE-42', 5), 201)).lines[0];
      expect(await problem(await add(cart.id, who, 'SHOE-42', 1), 409)).toMatchObject({ code: 'CART.OUT_OF_STOCK', requested: 6, available: 5 });
      expect(await problem(await send('PATCH', `/carts/${cart.id}/items/${shoe.id}`, { quantity: 7 }, who), 409)).toMatchObject({ code: 'CART.OUT_OF_STOCK' });
      expect((await ok(await send('PATCH', `/carts/${cart.id}/items/${shoe.id}`, { quantity: 2 }, who))).lines[0].quantity).toBe(2);
      const usd = await ok(await send('POST', '/carts', { currency: 'USD' }), 201);
      expect((await ok(await add(usd.id, { cart: usd.token }, 'CAP-USD', 1), 201)).totals.subtotal).toBe(2000);
    });

    it('keeps every line when many are added to one cart at once (version bumped each time)', async () => {
      const { cart, who } = await guestCart();
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => add(cart.id, who, i % 2 ? 'MUG-1' : 'CUP-1', 1)));
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
      const after = await ok(await send('GET', `/carts/${cart.id}`, undefined, who));
      expect(after.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]).sort()).toEqual([['CUP-1', 5], ['MUG-1', 5]]);
      expect(after.version).toBe(11);
    });

    it('adds once for a POST retried with the same Idempotency-Key', async () => {
      const { cart, who } = await guestCart();
      const key = randomUUID();
      const first = await add(cart.id, who, 'MUG-1', 2, { 'idempotency-key': key });
      const again = await add(cart.id, who, 'MUG-1', 2, { 'idempotency-key': key });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await ok(await send('GET', `/carts/${cart.id}`, undefined, who))).lines[0].quantity).toBe(2);
    });
  });

  describe('cost', () => {
    it('reads a cart in one query and changes it in as many queries with 10 lines as with 1 (no N+1)', async () => {
      const skus = Array.from({ length: 9 }, (_, i) => `BULK-${i}`);
      for (const sku of skus) {
        await product(`Bulk ${sku}`, sku, 300);
        await stock(sku, 10);
      }
      const small = await guestCart();
      const large = await guestCart();
      const smallLine = (await ok(await add(small.cart.id, small.who, 'CUP-1', 1), 201)).lines[0];
      let largeLine = (await ok(await add(large.cart.id, large.who, 'CUP-1', 1), 201)).lines[0];
      for (const sku of skus) largeLine = (await ok(await add(large.cart.id, large.who, sku, 1), 201)).lines[0];

      const queries = api.app.get(MetricsRegistry).dbQueries;
      const total = async () => (await queries.get()).values[0]?.value ?? 0;
      // Fewest over a few tries: a background job (a sweep, a reconciliation) may query meanwhile.
      const cost = async (request: () => Promise<Response>) => {
        let fewest = Infinity;
        for (let i = 0; i < 3; i += 1) {
          const before = await total();
          expect((await request()).status).toBe(200);
          fewest = Math.min(fewest, (await total()) - before);
        }
        return fewest;
      };
      expect(await cost(() => send('GET', `/carts/${large.cart.id}`, undefined, large.who))).toBe(1);
      let quantity = 1;
      const setQuantity = (cartId: string, lineId: string, who: Caller) => () => send('PATCH', `/carts/${cartId}/items/${lineId}`, { quantity: (quantity = 3 - quantity) }, who);
      const one = await cost(setQuantity(small.cart.id, smallLine.id, small.who));
      const ten = await cost(setQuantity(large.cart.id, largeLine.id, large.who));
      expect([one, ten]).toEqual([one, one]);
      expect(one).toBeLessThanOrEqual(6); // cart, variants, availability, pricing's reads when its cache misses, the update
    });
  });

  describe('prices re-read from the catalog', () => {
    it('shows a changed price as previousUnitPrice on the next change, and charges the new one', async () => {
      const { cart, who } = await guestCart();
      await ok(await add(cart.id, who, 'MOVER-1', 2), 201);
      await created('PATCH', '/admin/variants/MOVER-1', { price: { amount: 1500, currency: 'EUR' } });
      const after = await ok(await add(cart.id, who, 'CUP-1', 1), 201);
      expect(after.lines.find((l: { sku: string }) => l.sku === 'MOVER-1')).toMatchObject({ unitPrice: 1500, previousUnitPrice: 1000, subtotal: 3000 });
      expect(after.totals.subtotal).toBe(3000 + 500);
      expect((await ok(await send('GET', `/carts/${cart.id}`, undefined, who))).lines[0].previousUnitPrice).toBe(1000);
      await created('PATCH', '/admin/variants/MOVER-1', { price: { amount: 1000, currency: 'EUR' } });
    });
  });

  describe('shipping', () => {
    it('lists the flat rates, takes an address and a method, and refuses unknown methods and bad addresses', async () => {
      const { cart, who } = await guestCart();
      await ok(await add(cart.id, who, 'MUG-1', 1), 201);
      expect(await ok(await send('GET', `/carts/${cart.id}/shipping-methods`, undefined, who))).toEqual([
        { id: 'standard', name: 'Standard', amount: 499 },
        { id: 'express', name: 'Express', amount: 1299 },
      ]);
      expect((await problem(await send('GET', `/carts/${cart.id}/shipping-methods`), 404)).code).toBe('CART.NOT_FOUND');
      const addressed = await ok(await send('PUT', `/carts/${cart.id}/shipping-address`, { ...ADDRESS, countryCode: 'de', company: '' }, who));
      expect(addressed.shippingAddress).toEqual(ADDRESS);
      const shipped = await ok(await send('PUT', `/carts/${cart.id}/shipping-method`, { methodId: 'express' }, who));
      expect(shipped).toMatchObject({ shippingMethod: { id: 'express', name: 'Express', amount: 1299 }, totals: { subtotal: 1200, shipping: 1299 } });
      expect(await problem(await send('PUT', `/carts/${cart.id}/shipping-method`, { methodId: 'teleport' }, who), 422)).toMatchObject({ code: 'CART.UNKNOWN_SHIPPING_METHOD', methods: ['standard', 'express'] });
      const bad = await problem(await send('PUT', `/carts/${cart.id}/shipping-address`, { ...ADDRESS, countryCode: 'XX', postalCode: '' }, who), 400);
      expect(bad.errors.map((e: { field: string }) => e.field).sort()).toEqual(['countryCode', 'postalCode']);
    });
  });

  describe('coupons (pricing)', () => {
    beforeAll(async () => {
      await created('POST', '/admin/promotions', { name: 'Ten off', code: 'CARTSAVE10', kind: 'order_percentage', percentage: 10 });
      await created('POST', '/admin/promotions', { name: 'Shoes 20', code: 'TRAIL20', kind: 'line_percentage', percentage: 20, targets: { categoryIds: [shoes.id] } });
      await created('POST', '/admin/promotions', { name: 'Gone', code: 'CARTOLD', kind: 'order_percentage', percentage: 50, startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-02-01T00:00:00Z' });
      await created('POST', '/admin/promotions', { name: 'Big spender', code: 'CARTBIG', kind: 'order_fixed', amount: 1000, currency: 'EUR', minSubtotal: 100000 });
    });

    it('applies a coupon to the totals, per promotion, and takes it off again', async () => {
      const { cart, who } = await guestCart();
      await ok(await add(cart.id, who, 'MUG-1', 2), 201);
      const response = await send('POST', `/carts/${cart.id}/coupons`, { code: 'cartsave10' }, who);
      expect(response.status).toBe(201);
      const discounted = await body(response);
      expect(discounted.coupons).toEqual([expect.objectContaining({ code: 'cartsave10', applied: true })]);
      expect(discounted.discounts).toEqual([expect.objectContaining({ code: expect.stringMatching(/^cartsave10$/i), name: 'Ten off', kind: 'order_percentage', amount: 240 })]);
      expect(discounted.totals).toMatchObject({ subtotal: 2400, discount: 240 });
      expect(discounted.lines[0].discount).toBe(240);
      const removed = await ok(await send('DELETE', `/carts/${cart.id}/coupons/CARTSAVE10`, undefined, who));
      expect(removed).toMatchObject({ coupons: [], discounts: [], totals: { discount: 0 } });
    });

    it("matches a line promotion on a parent category to a product of its subcategory", async () => {
      const { cart, who } = await guestCart();
      await ok(await add(cart.id, who, 'SHOE-42', 1), 201);
      await ok(await add(cart.id, who, 'CUP-1', 1), 201);
      const cart2 = await ok(await send('POST', `/carts/${cart.id}/coupons`, { code: 'TRAIL20' }, who), 201);
      expect(cart2.lines.map((l: { sku: string; discount: number }) => [l.sku, l.discount])).toEqual([['SHOE-42', 1600], ['CUP-1', 0]]);
      expect(cart2.totals.discount).toBe(1600);
    });

    it('refuses an unknown, expired or inapplicable coupon with 422 and the reason', async () => {
      const { cart, who } = await guestCart();
      await ok(await add(cart.id, who, 'MUG-1', 1), 201);
      for (const [code, reason] of [['NOSUCHCODE', 'unknown'], ['CARTOLD', 'expired'], ['CARTBIG', 'minimum_not_met']]) {
        const refused = await problem(await send('POST', `/carts/${cart.id}/coupons`, { code }, who), 422);
        expect([code, refused.reason]).toEqual([code, reason]);
      }
      expect((await problem(await send('POST', `/carts/${cart.id}/coupons`, { code: 'has space' }, who), 400)).status).toBe(400);
      expect((await ok(await send('GET', `/carts/${cart.id}`, undefined, who))).coupons).toEqual([]);
    });
  });

  describe('CART_API for checkout', () => {
    it('hands over a complete cart re-priced, names what is missing, and closes the cart for writes once converted', async () => {
      const carts = api.app.get<CartApi>(CART_API, { strict: false });
      const { cart, who } = await guestCart();
      const ctx = { ...anonymousContext('cart-e2e'), cartToken: who.cart };
      await expect(carts.prepareCheckout(ctx, { cartId: cart.id })).rejects.toMatchObject({ code: 'CART.INCOMPLETE', extensions: { missing: ['lines', 'shippingAddress'] } });
      await expect(carts.prepareCheckout(anonymousContext('cart-e2e'), { cartId: cart.id })).rejects.toMatchObject({ code: 'CART.NOT_FOUND' });
      await ok(await add(cart.id, who, 'SHOE-42', 1), 201);

      const prepared = await carts.prepareCheckout(ctx, { cartId: cart.id, shippingAddress: ADDRESS });
      expect(prepared).toMatchObject({
        pricesChanged: false, shippingAddress: ADDRESS, shippingMethod: { id: 'standard', amount: 499 },
        lines: [{ sku: 'SHOE-42', unitPrice: 8000, categoryIds: expect.arrayContaining([shoes.id]), brandId: expect.any(String) }],
        totals: { subtotal: 8000, shipping: 499 },
      });
      const orderId = randomUUID();
      await carts.markConverted(systemContext('cart-e2e'), { cartId: cart.id, orderId });
      await carts.markConverted(ctx, { cartId: cart.id, orderId });
      expect(await problem(await add(cart.id, who, 'CUP-1', 1), 409)).toMatchObject({ code: 'CART.NOT_OPEN', cartStatus: 'converted' });
      expect((await ok(await send('GET', `/carts/${cart.id}`, undefined, who))).status).toBe('converted');
    });
  });

  describe('merge on login', () => {
    it("merges the guest cart into the customer's: quantities add up capped by stock and the maximum, coupons come along, the guest cart is closed", async () => {
      const { cart: guest, who: guestWho } = await guestCart();
      await ok(await add(guest.id, guestWho, 'SHOE-42', 4), 201);
      await ok(await add(guest.id, guestWho, 'MUG-1', 15), 201);
      await ok(await add(guest.id, guestWho, 'CUP-1', 1), 201);
      await ok(await send('POST', `/carts/${guest.id}/coupons`, { code: 'CARTSAVE10' }, guestWho), 201);

      const shopper = await customer();
      const own = await ok(await send('POST', '/carts', {}, shopper), 201);
      await ok(await add(own.id, shopper, 'SHOE-42', 3), 201);
      await ok(await add(own.id, shopper, 'MUG-1', 10), 201);

      // Signing in: the storefront opens the customer's cart sending the guest token it held.
      const merged = await ok(await send('POST', '/carts', {}, { ...shopper, cart: guestWho.cart }), 201);
      expect(merged.id).toBe(own.id);
      expect(merged.token).toBeNull();
      expect(merged.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['SHOE-42', 5], ['MUG-1', 20], ['CUP-1', 1]]);
      expect(merged.coupons).toEqual([expect.objectContaining({ code: 'CARTSAVE10', applied: true })]);
      expect(merged.totals.discount).toBeGreaterThan(0);

      const closed = await ok(await send('GET', `/carts/${guest.id}`, undefined, guestWho));
      expect(closed.status).toBe('merged');
      expect(await problem(await add(guest.id, guestWho, 'CUP-1', 1), 409)).toMatchObject({ code: 'CART.NOT_OPEN', status: 409, cartStatus: 'merged' });
      // Signing in again with the stale token merges nothing twice.
      const again = await ok(await send('POST', '/carts', {}, { ...shopper, cart: guestWho.cart }), 201);
      expect(again.lines.map((l: { quantity: number }) => l.quantity)).toEqual([5, 20, 1]);
    });

    it('gives a customer without a cart the guest cart contents in a cart of their own', async () => {
      const { cart: guest, who } = await guestCart();
      await ok(await add(guest.id, who, 'CUP-1', 2), 201);
      const shopper = await customer();
      const mine = await ok(await send('POST', '/carts', {}, { ...shopper, cart: who.cart }), 201);
      expect(mine.id).not.toBe(guest.id);
      expect(mine).toMatchObject({ customerId: expect.any(String), lines: [{ sku: 'CUP-1', quantity: 2 }] });
    });
  });

  it('describes the cart routes and shapes in the OpenAPI document', async () => {
    const document = await body(await fetch(`${api.url}/docs/openapi.json`));
    for (const path of ['/api/v1/carts', '/api/v1/carts/{id}', '/api/v1/carts/{id}/items', '/api/v1/carts/{id}/items/{lineId}', '/api/v1/carts/{id}/coupons', '/api/v1/carts/{id}/coupons/{code}', '/api/v1/carts/{id}/shipping-address', '/api/v1/carts/{id}/shipping-method', '/api/v1/carts/{id}/shipping-methods']) {
      expect([path, document.paths[path]]).toEqual([path, expect.any(Object)]);
    }
    expect(document.paths['/api/v1/carts'].post.responses['201'].content['application/json'].schema.$ref).toMatch(/OpenedCartDto$/);
    expect(document.components.schemas.AddItemDto.required).toEqual(['sku', 'quantity']);
    expect(Object.keys(document.components.schemas.CartDto.properties)).toEqual(expect.arrayContaining(['lines', 'totals', 'coupons', 'discounts', 'shippingMethod', 'version']));
  });
});
