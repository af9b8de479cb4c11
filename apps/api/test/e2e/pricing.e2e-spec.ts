import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, type IdentityApi, type PriceCartInput, PRICING_API, type PricingApi, systemContext } from '#contracts';
import { body } from '#testing';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;
const ctx = systemContext('pricing-e2e');

describe('pricing: promotions and tax rates over HTTP, coupons through PRICING_API (real PostgreSQL and Redis)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let customer: string;
  let pricing: PricingApi;

  const send = (method: string, path: string, payload?: unknown, token: string | null = admin) =>
    fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const problem = async (response: Response, status: number) => {
    expect([response.status, response.headers.get('content-type')]).toEqual([status, expect.stringMatching(PROBLEM)]);
    return body(response);
  };
  const fieldsOf = (answer: { errors?: { field: string }[] }) => [...new Set((answer.errors ?? []).map((e) => e.field))].sort();
  const createPromotion = async (payload: Record<string, unknown>) => {
    const response = await send('POST', '/admin/promotions', { name: 'Promotion', ...payload });
    expect(response.status).toBe(201);
    return body(response);
  };
  const cart = (extra: Partial<PriceCartInput> = {}): PriceCartInput => ({
    currency: 'EUR',
    lines: [
      { lineId: 'l1', sku: 'SHIRT-M', productId: randomUUID(), quantity: 2, unitPrice: 2500, categoryIds: [], brandId: null },
      { lineId: 'l2', sku: 'MUG', productId: randomUUID(), quantity: 1, unitPrice: 1000, categoryIds: [], brandId: null },
    ],
    couponCodes: [],
    customerId: null,
    shipping: { methodId: 'standard', amount: 495 },
    destination: { countryCode: 'FR' },
    ...extra,
  });

  beforeAll(async () => {
    api = await startApi();
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const account = async (roles: ('customer' | 'admin')[]) =>
      identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'pricing password', roles });
    admin = (await account(['customer', 'admin'])).tokens.accessToken;
    customer = (await account(['customer'])).tokens.accessToken;
    pricing = api.app.get<PricingApi>(PRICING_API, { strict: false });
  });
  afterAll(() => api.close());

  it('creates, reads, lists, changes and removes promotions; a cart is priced with them and a tax rate', async () => {
    const rate = await send('POST', '/admin/tax-rates', { countryCode: 'fr', basisPoints: 2000, name: 'TVA 20 %' });
    expect(rate.status).toBe(201);
    const created = await body(rate);
    expect(created).toMatchObject({ id: expect.any(String), countryCode: 'FR', region: null, basisPoints: 2000, name: 'TVA 20 %' });
    const line = await createPromotion({ name: 'Shirts 10 %', kind: 'line_percentage', percentage: 10, targets: { skus: ['SHIRT-M'] } });
    const coupon = await createPromotion({ name: 'Five off', code: 'five-off', kind: 'order_fixed', amount: 500, currency: 'EUR', endsAt: '2099-01-01T00:00:00Z' });
    expect(coupon).toMatchObject({ code: 'FIVE-OFF', kind: 'order_fixed', amount: 500, currency: 'EUR', uses: 0, active: true, endsAt: '2099-01-01T00:00:00.000Z' });
    expect(await body(await send('GET', `/admin/promotions/${coupon.id}`))).toEqual(coupon);

    const priced = await pricing.priceCart(ctx, cart({ couponCodes: ['Five-Off'] }));
    // Shirts 5000 - 500 (10 %) = 4500, mug 1000; 500 off the order spread 409/91 by largest remainder; VAT 20 % per line.
    expect(priced.lines.map((l) => [l.discount, l.tax, l.total])).toEqual([[909, 818, 4909], [91, 182, 1091]]);
    expect(priced.totals).toEqual({ subtotal: 6000, discount: 1000, shipping: 495, tax: 1000, total: 6495 });
    expect(priced.discounts.map((d) => [d.promotionId, d.code, d.amount])).toEqual([[line.id, null, 500], [coupon.id, 'FIVE-OFF', 500]]);

    const page = await body(await send('GET', '/admin/promotions?type=coupon&pageSize=1'));
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 1, items: [{ id: coupon.id }] });
    expect((await body(await send('GET', '/admin/promotions?active=true&kind=line_percentage'))).items.map((p: { id: string }) => p.id)).toEqual([line.id]);

    const changed = await send('PATCH', `/admin/promotions/${line.id}`, { percentage: 20, endsAt: null });
    expect(changed.status).toBe(200);
    expect(await body(changed)).toMatchObject({ percentage: 20, endsAt: null });
    expect((await pricing.priceCart(ctx, cart())).discounts[0].amount).toBe(1000);

    expect(await body(await send('DELETE', `/admin/promotions/${line.id}`))).toEqual({ id: line.id, outcome: 'deleted' });
    expect((await problem(await send('GET', `/admin/promotions/${line.id}`), 404)).code).toBe('PRICING.PROMOTION_NOT_FOUND');
    await pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: 'shopper@example.com', promotionIds: [coupon.id] });
    expect(await body(await send('DELETE', `/admin/promotions/${coupon.id}`))).toEqual({ id: coupon.id, outcome: 'deactivated' });
    expect(await body(await send('GET', `/admin/promotions/${coupon.id}`))).toMatchObject({ active: false, uses: 1 });

    const rateId = created.id;
    expect(await body(await send('PATCH', `/admin/tax-rates/${rateId}`, { basisPoints: 550 }))).toMatchObject({ basisPoints: 550 });
    expect((await pricing.priceCart(ctx, cart())).totals.tax).toBe(330);
    expect((await send('DELETE', `/admin/tax-rates/${rateId}`)).status).toBe(204);
    expect((await pricing.priceCart(ctx, cart())).totals.tax).toBe(0);
  });

  it('lets a region rate win over its country rate; a second rate for the same place is 409', async () => {
    expect((await send('POST', '/admin/tax-rates', { countryCode: 'US', basisPoints: 0, name: 'No federal sales tax' })).status).toBe(201);
    expect((await send('POST', '/admin/tax-rates', { countryCode: 'US', region: 'ca', basisPoints: 725, name: 'CA sales tax' })).status).toBe(201);
    expect((await problem(await send('POST', '/admin/tax-rates', { countryCode: 'us', region: 'CA', basisPoints: 800, name: 'again' }), 409)).code).toBe('PRICING.TAX_RATE_EXISTS');
    const usd = (region?: string) => cart({ currency: 'USD', shipping: null, destination: { countryCode: 'US', region } });
    expect((await pricing.priceCart(ctx, usd('CA'))).lines.map((l) => [l.tax, l.taxRate?.name])).toEqual([[363, 'CA sales tax'], [73, 'CA sales tax']]);
    expect((await pricing.priceCart(ctx, usd('NY'))).totals.tax).toBe(0);
    expect((await body(await send('GET', '/admin/tax-rates'))).map((r: { region: string | null }) => r.region)).toEqual(expect.arrayContaining([null, 'CA']));
  });

  it('refuses malformed promotions and tax rates with 400 problems naming the fields', async () => {
    const bad: [string, Record<string, unknown>, string[]][] = [
      ['percentage above 100', { kind: 'order_percentage', percentage: 101 }, ['percentage']],
      ['percentage 0', { kind: 'line_percentage', percentage: 0, targets: { skus: ['A'] } }, ['percentage']],
      ['fixed amount 0', { kind: 'order_fixed', amount: 0, currency: 'EUR' }, ['amount']],
      ['unknown kind', { kind: 'buy_one_get_one' }, ['kind']],
      ['bad date', { kind: 'free_shipping', startsAt: 'tomorrow' }, ['startsAt']],
      ['unknown field', { kind: 'free_shipping', stackable: true }, ['stackable']],
      ['bad code', { kind: 'free_shipping', code: 'no spaces!' }, ['code']],
      ['target not a uuid', { kind: 'line_fixed', amount: 100, currency: 'EUR', targets: { categoryIds: ['shoes'] } }, ['targets.categoryIds']],
    ];
    for (const [label, payload, fields] of bad) {
      const answer = await problem(await send('POST', '/admin/promotions', { name: 'Bad', ...payload }), 400);
      expect([label, answer.code, fieldsOf(answer)]).toEqual([label, 'REQUEST.VALIDATION_FAILED', fields]);
    }
    const whole: [string, Record<string, unknown>, string[]][] = [
      ['fixed amount without currency', { kind: 'order_fixed', amount: 500 }, ['currency']],
      ['percentage kind without percentage', { kind: 'order_percentage' }, ['percentage']],
      ['window ending before it starts', { kind: 'free_shipping', startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-11-30T00:00:00Z' }, ['endsAt']],
      ['line kind without targets', { kind: 'line_percentage', percentage: 10 }, ['targets']],
      ['amount on a percentage kind', { kind: 'order_percentage', percentage: 10, amount: 100, currency: 'EUR' }, ['amount']],
    ];
    for (const [label, payload, fields] of whole) {
      const answer = await problem(await send('POST', '/admin/promotions', { name: 'Bad', ...payload }), 400);
      expect([label, answer.code, fieldsOf(answer)]).toEqual([label, 'PRICING.INVALID_PROMOTION', fields]);
    }
    const existing = await createPromotion({ kind: 'free_shipping', code: 'SHIP-E2E' });
    expect(fieldsOf(await problem(await send('PATCH', `/admin/promotions/${existing.id}`, { kind: 'order_fixed' }), 400))).toEqual(['amount']);
    expect((await problem(await send('POST', '/admin/promotions', { name: 'Dup', kind: 'free_shipping', code: 'ship-e2e' }), 409)).code).toBe('PRICING.CODE_TAKEN');
    expect(fieldsOf(await problem(await send('GET', '/admin/promotions/not-a-uuid'), 400))).toEqual(['id']);

    const rates: [Record<string, unknown>, string[]][] = [
      [{ countryCode: 'XX', basisPoints: 100, name: 'n' }, ['countryCode']],
      [{ countryCode: 'DE', basisPoints: 10001, name: 'n' }, ['basisPoints']],
      [{ countryCode: 'DE', basisPoints: 19.5, name: 'n' }, ['basisPoints']],
      [{ countryCode: 'DE', basisPoints: 1900 }, ['name']],
    ];
    for (const [payload, fields] of rates) expect(fieldsOf(await problem(await send('POST', '/admin/tax-rates', payload), 400))).toEqual(fields);
    expect(fieldsOf(await problem(await send('PUT', `/admin/pricing/customer-groups/Not%20Valid/members/${randomUUID()}`), 400))).toEqual(['group']);
  });

  it('is for admins only: 401 without a token, 403 for a customer', async () => {
    for (const [method, path] of [['GET', '/admin/promotions'], ['POST', '/admin/promotions'], ['GET', '/admin/tax-rates'], ['PUT', `/admin/pricing/customer-groups/vip/members/${randomUUID()}`]]) {
      const payload = method === 'POST' ? { name: 'x', kind: 'free_shipping' } : undefined;
      expect([path, (await send(method, path, payload, null)).status]).toEqual([path, 401]);
      expect([path, (await problem(await send(method, path, payload, customer), 403)).status]).toEqual([path, 403]);
    }
  });

  it('rejects an expired, exhausted or inapplicable coupon with 422 and the reason', async () => {
    await createPromotion({ kind: 'order_percentage', percentage: 10, code: 'SUMMER-2020', startsAt: '2020-06-01T00:00:00Z', endsAt: '2020-09-01T00:00:00Z' });
    const once = await createPromotion({ kind: 'order_percentage', percentage: 10, code: 'ONLY-ONCE', usageLimit: 1 });
    await createPromotion({ kind: 'line_fixed', amount: 300, currency: 'EUR', code: 'SOCKS', targets: { skus: ['SOCKS-42'] } });
    await createPromotion({ kind: 'order_fixed', amount: 300, currency: 'EUR', code: 'BIG-SPENDER', minSubtotal: 100000 });
    await pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: 'first@example.com', promotionIds: [once.id] });

    const cases: [string, string][] = [['summer-2020', 'expired'], ['ONLY-ONCE', 'exhausted'], ['socks', 'not_applicable'], ['big-spender', 'minimum_not_met'], ['NO-SUCH-CODE', 'unknown']];
    for (const [code, reason] of cases) {
      const rejected = await pricing.checkCoupon(ctx, code, cart()).then(() => null, (error: unknown) => error);
      expect([code, rejected]).toEqual([code, expect.objectContaining({ code: 'PRICING.COUPON_REJECTED', kind: 'unprocessable', extensions: { coupon: code, reason } })]);
    }
    const priced = await pricing.priceCart(ctx, cart({ couponCodes: cases.map(([code]) => code) }));
    expect(priced.coupons.map((c) => [c.code, c.applied, c.reason])).toEqual(cases.map(([code, reason]) => [code, false, reason]));
    expect(priced.totals.discount).toBe(0);
    await expect(pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: 'second@example.com', promotionIds: [once.id] })).rejects.toMatchObject({
      code: 'PRICING.PROMOTION_EXHAUSTED',
      kind: 'unprocessable',
      extensions: { promotionId: once.id, reason: 'exhausted' },
    });
  });

  it('documents its admin routes and bodies in the OpenAPI document', async () => {
    const document = await body(await fetch(`${api.url}/docs/openapi.json`));
    expect(Object.keys(document.paths['/api/v1/admin/promotions'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(document.paths['/api/v1/admin/promotions/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(document.paths['/api/v1/admin/tax-rates/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(document.paths['/api/v1/admin/pricing/customer-groups/{group}/members/{customerId}'])).toEqual(expect.arrayContaining(['put', 'delete']));
    expect(document.components.schemas.CreatePromotionDto.properties.kind.enum).toEqual(['order_percentage', 'order_fixed', 'line_percentage', 'line_fixed', 'free_shipping']);
    expect(document.components.schemas.CreateTaxRateDto.required).toEqual(expect.arrayContaining(['countryCode', 'basisPoints', 'name']));
  });
});
