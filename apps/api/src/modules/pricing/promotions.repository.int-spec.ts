import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { type OrderPlacedEvent, type PriceCartInput, PRICING_API, type PricingApi, systemContext } from '#contracts';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import { CustomerGroupsService } from './customer-groups.service.js';
import type { CreatePromotionDto } from './dto/promotion.dto.js';
import { OrderPlacedListener } from './listeners/order-placed.listener.js';
import { PromotionExhaustedError } from './pricing.errors.js';
import { PricingModule } from './pricing.module.js';
import { PromotionsService } from './promotions.service.js';
import { TaxRatesService } from './tax-rates.service.js';

const ctx = systemContext('pricing-int-spec');

describe('pricing promotions and redemptions (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let pricing: PricingApi;
  let promotions: PromotionsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, { imports: [PricingModule] });
    pricing = app.get<PricingApi>(PRICING_API);
    promotions = app.get(PromotionsService);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const create = (dto: Partial<CreatePromotionDto>) => promotions.create(ctx, { name: 'Ten off', kind: 'order_percentage', percentage: 10, ...dto } as CreatePromotionDto);
  const uses = async (id: string) => (await db.query('SELECT uses FROM pricing.promotions WHERE id = $1', [id])).rows[0].uses;
  const held = async (id: string) => (await db.query('SELECT count(*)::int AS n FROM pricing.redemptions WHERE promotion_id = $1 AND released_at IS NULL', [id])).rows[0].n;
  const cart = (extra: Partial<PriceCartInput> = {}): PriceCartInput => ({
    currency: 'EUR',
    lines: [{ lineId: 'l1', sku: 'MUG', productId: randomUUID(), quantity: 2, unitPrice: 1000, categoryIds: [], brandId: null }],
    couponCodes: [],
    customerId: null,
    shipping: null,
    destination: null,
    ...extra,
  });
  const settle = <T>(attempts: Promise<T>[]) => Promise.allSettled(attempts);

  it('lets exactly one of 20 concurrent redeems take the last use', async () => {
    const promo = await create({ code: 'LAST-ONE', usageLimit: 3 });
    await pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: null, promotionIds: [promo.id] });
    await pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: null, promotionIds: [promo.id] });
    const attempts = await settle(Array.from({ length: 20 }, () => pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: null, promotionIds: [promo.id] })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(lost).toHaveLength(19);
    for (const { reason } of lost) {
      expect(reason).toBeInstanceOf(PromotionExhaustedError);
      expect(reason).toMatchObject({ code: 'PRICING.PROMOTION_EXHAUSTED', extensions: { promotionId: promo.id, reason: 'exhausted' } });
    }
    expect([await uses(promo.id), await held(promo.id)]).toEqual([3, 3]);
    // The cart now hears of it: the use that filled the limit dropped the cached promotion.
    const priced = await pricing.priceCart(ctx, cart({ couponCodes: ['last-one'] }));
    expect(priced.coupons).toEqual([expect.objectContaining({ code: 'last-one', applied: false, reason: 'exhausted' })]);
  });

  it('lets one customer take a per-customer limit once, even concurrently, counting guests by email', async () => {
    const promo = await create({ code: 'ONCE-EACH', perCustomerLimit: 1 });
    const customerId = randomUUID();
    const attempts = await settle(Array.from({ length: 20 }, () => pricing.redeem(ctx, { reference: randomUUID(), customerId, email: null, promotionIds: [promo.id] })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const a of attempts.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(a.reason).toMatchObject({ extensions: { reason: 'customer_limit_reached' } });
    expect(await uses(promo.id)).toBe(1);

    await pricing.redeem(ctx, { reference: randomUUID(), customerId: randomUUID(), email: null, promotionIds: [promo.id] });
    await pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: 'Guest@Example.com', promotionIds: [promo.id] });
    await expect(pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: ' guest@example.COM', promotionIds: [promo.id] })).rejects.toMatchObject({
      extensions: { reason: 'customer_limit_reached' },
    });
    await expect(pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: null, promotionIds: [promo.id] })).rejects.toMatchObject({ extensions: { reason: 'customer_only' } });
    expect(await uses(promo.id)).toBe(3);
    const stored = (await db.query('SELECT customer_key FROM pricing.redemptions WHERE promotion_id = $1', [promo.id])).rows.map((r) => r.customer_key as string);
    expect(stored.some((key) => key.includes('@'))).toBe(false);

    // checkCoupon reads the customer's uses fresh.
    await expect(pricing.checkCoupon(ctx, 'once-each', cart({ customerId }))).rejects.toMatchObject({ code: 'PRICING.COUPON_REJECTED', extensions: { reason: 'customer_limit_reached' } });
    await expect(pricing.checkCoupon(ctx, 'once-each', cart({ customerId: randomUUID() }))).resolves.toEqual({ code: 'once-each', applied: true });
  });

  it('redeems all promotions of an order or none, once per reference', async () => {
    const open = await create({ code: 'OPEN-A' });
    const full = await create({ code: 'FULL-B', usageLimit: 1 });
    await pricing.redeem(ctx, { reference: 'order-full', customerId: null, email: null, promotionIds: [full.id] });
    await expect(pricing.redeem(ctx, { reference: 'order-both', customerId: null, email: null, promotionIds: [open.id, full.id] })).rejects.toMatchObject({
      code: 'PRICING.PROMOTION_EXHAUSTED',
      extensions: { promotionId: full.id },
    });
    expect([await uses(open.id), await held(open.id)]).toEqual([0, 0]);

    await pricing.redeem(ctx, { reference: 'order-open', customerId: null, email: null, promotionIds: [open.id, open.id] });
    await pricing.redeem(ctx, { reference: 'order-open', customerId: null, email: null, promotionIds: [open.id] });
    expect(await uses(open.id)).toBe(1);
    await expect(pricing.redeem(ctx, { reference: 'order-x', customerId: null, email: null, promotionIds: [randomUUID()] })).rejects.toMatchObject({ code: 'PRICING.PROMOTION_NOT_FOUND' });
  });

  it('checks the switch and the window again as a use is taken (the cart was priced from a cached view)', async () => {
    const ending = await create({ code: 'ENDS-SOON' });
    const later = await create({ code: 'NOT-YET' });
    const off = await create({ code: 'SWITCHED-OFF' });
    // Behind the cache's back, as time passing or another instance's admin write would.
    await db.query(`UPDATE pricing.promotions SET ends_at = now() - interval '1 second' WHERE id = $1`, [ending.id]);
    await db.query(`UPDATE pricing.promotions SET starts_at = now() + interval '1 hour' WHERE id = $1`, [later.id]);
    await db.query(`UPDATE pricing.promotions SET active = false WHERE id = $1`, [off.id]);
    const refused = (id: string) => pricing.redeem(ctx, { reference: randomUUID(), customerId: null, email: null, promotionIds: [id] });
    await expect(refused(ending.id)).rejects.toMatchObject({ code: 'PRICING.PROMOTION_ENDED', kind: 'unprocessable', extensions: { promotionId: ending.id, reason: 'expired' } });
    await expect(refused(later.id)).rejects.toMatchObject({ code: 'PRICING.PROMOTION_ENDED', extensions: { reason: 'not_started' } });
    await expect(refused(off.id)).rejects.toMatchObject({ code: 'PRICING.PROMOTION_ENDED', extensions: { reason: 'inactive' } });
    expect([await uses(ending.id), await held(ending.id), await uses(later.id), await uses(off.id)]).toEqual([0, 0, 0, 0]);
  });

  it('gives uses back on release, idempotently, and a used-up promotion becomes usable again', async () => {
    const promo = await create({ code: 'GIVE-BACK', usageLimit: 1, perCustomerLimit: 1 });
    const customerId = randomUUID();
    await pricing.redeem(ctx, { reference: 'order-cancelled', customerId, email: null, promotionIds: [promo.id] });
    expect((await pricing.priceCart(ctx, cart({ couponCodes: ['GIVE-BACK'] }))).coupons[0]).toMatchObject({ reason: 'exhausted' });

    await pricing.releaseRedemptions(ctx, 'order-cancelled');
    await pricing.releaseRedemptions(ctx, 'order-cancelled');
    expect([await uses(promo.id), await held(promo.id)]).toEqual([0, 0]);
    expect((await pricing.priceCart(ctx, cart({ couponCodes: ['GIVE-BACK'] }))).coupons[0]).toEqual({ code: 'GIVE-BACK', applied: true });
    await pricing.redeem(ctx, { reference: 'order-again', customerId, email: null, promotionIds: [promo.id] });
    expect(await uses(promo.id)).toBe(1);
    await pricing.releaseRedemptions(ctx, 'never-redeemed');
  });

  it('prices from the cache: a change behind its back is not seen until an admin write invalidates', async () => {
    const promo = await create({ name: 'Everything 20 %', percentage: 20 });
    await app.get(TaxRatesService).create(ctx, { countryCode: 'at', basisPoints: 2000, name: 'USt' });
    const priced = await pricing.priceCart(ctx, cart({ destination: { countryCode: 'AT' } }));
    expect(priced.totals).toEqual({ subtotal: 2000, discount: 400, shipping: 0, tax: 320, total: 1920 });

    await db.query('UPDATE pricing.promotions SET percentage = 50 WHERE id = $1', [promo.id]);
    await db.query(`UPDATE pricing.tax_rates SET basis_points = 1000 WHERE country_code = 'AT'`);
    expect((await pricing.priceCart(ctx, cart({ destination: { countryCode: 'AT' } }))).totals).toEqual(priced.totals);

    await promotions.update(ctx, promo.id, { active: false });
    expect((await pricing.priceCart(ctx, cart())).totals).toMatchObject({ discount: 0, total: 2000 });
  });

  it('knows first orders from orders.order-placed, idempotently, and group members from the admin', async () => {
    await create({ code: 'WELCOME', firstOrderOnly: true });
    await create({ code: 'VIP-ONLY', customerGroup: 'vip' });
    const customerId = randomUUID();
    const priced = await pricing.priceCart(ctx, cart({ customerId, couponCodes: ['WELCOME', 'VIP-ONLY'] }));
    expect(priced.coupons.map((c) => c.reason ?? 'applied')).toEqual(['applied', 'group_only']);

    const listener = app.get(OrderPlacedListener);
    const event = { name: 'orders.order-placed', version: 1, orderId: randomUUID(), number: 'F-1', customerId, email: 'a@b.c', currency: 'EUR', total: 100, promotionIds: [] } satisfies OrderPlacedEvent;
    await listener.onOrderPlaced(event);
    await listener.onOrderPlaced(event);
    await listener.onOrderPlaced({ ...event, orderId: randomUUID() });
    await listener.onOrderPlaced({ ...event, customerId: null });
    const { rows } = await db.query('SELECT first_order_id FROM pricing.ordering_customers WHERE customer_id = $1', [customerId]);
    expect(rows).toEqual([{ first_order_id: event.orderId }]);
    const groups = app.get(CustomerGroupsService);
    await groups.add(ctx, 'vip', customerId);
    await groups.add(ctx, 'vip', customerId);
    const after = await pricing.priceCart(ctx, cart({ customerId, couponCodes: ['WELCOME', 'VIP-ONLY'] }));
    expect(after.coupons.map((c) => c.reason ?? 'applied')).toEqual(['first_order_only', 'applied']);
  });
});
