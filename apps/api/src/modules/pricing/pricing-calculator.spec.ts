import type { PriceableLine, PriceCartInput } from '#contracts';
import { calculate, type PricingFacts } from './pricing-calculator.js';
import type { PromotionRule, TaxRateRule } from './pricing-rules.js';

const NOW = '2026-11-27T12:00:00.000Z';
let ids = 0;

const line = (sku: string, unitPrice: number, quantity = 1, extra: Partial<PriceableLine> = {}): PriceableLine => ({
  lineId: `line-${sku}`, sku, productId: `product-${sku}`, quantity, unitPrice, categoryIds: [], brandId: null, ...extra,
});
const cart = (lines: PriceableLine[], extra: Partial<PriceCartInput> = {}): PriceCartInput => ({
  currency: 'EUR', lines, couponCodes: [], customerId: null, shipping: null, destination: null, at: NOW, ...extra,
});
const promo = (extra: Partial<PromotionRule>): PromotionRule => ({
  id: `promo-${String(++ids).padStart(3, '0')}`, name: 'Promo', code: null, kind: 'order_percentage', percentage: null, amount: null, currency: null,
  targets: { skus: [], categoryIds: [], brandIds: [] }, minSubtotal: null, customerGroup: null, firstOrderOnly: false,
  startsAt: null, endsAt: null, usageLimit: null, perCustomerLimit: null, uses: 0, active: true, createdAt: `2026-01-01T00:00:${String(ids % 60).padStart(2, '0')}.000Z`, ...extra,
});
const vat = (basisPoints: number): TaxRateRule => ({ id: 'rate-de', countryCode: 'DE', region: null, basisPoints, name: 'MwSt' });
const facts = (extra: Partial<PricingFacts> = {}): PricingFacts => ({ automatic: [], coupons: new Map(), customer: null, taxRate: null, pricesIncludeTax: false, ...extra });
const withCoupons = (...rules: PromotionRule[]) => new Map(rules.map((r) => [r.code as string, r]));

describe('pricing calculator', () => {
  it('totals a cart without promotions or tax', () => {
    const priced = calculate(cart([line('A', 1999, 2), line('B', 500)], { shipping: { methodId: 'flat', amount: 495 } }), facts());
    expect(priced.totals).toEqual({ subtotal: 4498, discount: 0, shipping: 495, tax: 0, total: 4993 });
    expect(priced.lines.map((l) => [l.subtotal, l.discount, l.tax, l.total])).toEqual([[3998, 0, 0, 3998], [500, 0, 0, 500]]);
    expect(priced).toMatchObject({ currency: 'EUR', taxIncluded: false, discounts: [], coupons: [], shipping: 495 });
  });

  describe('order discounts', () => {
    it('rounds a percentage half away from zero and spreads it over lines by largest remainder', () => {
      const tenPercent = promo({ kind: 'order_percentage', percentage: 10 });
      // 10 % of 1005 = 100.5 -> 101, spread over 335/335/335: 33.67 each -> 34, 34, 33
      const priced = calculate(cart([line('A', 335), line('B', 335), line('C', 335)]), facts({ automatic: [tenPercent] }));
      expect(priced.discounts).toEqual([{ promotionId: tenPercent.id, code: null, name: 'Promo', kind: 'order_percentage', amount: 101 }]);
      expect(priced.lines.map((l) => l.discount)).toEqual([34, 34, 33]);
      expect(priced.totals).toMatchObject({ subtotal: 1005, discount: 101, total: 904 });
    });

    it('caps a fixed amount at the subtotal: the total never goes negative', () => {
      const fifty = promo({ kind: 'order_fixed', amount: 5000, currency: 'EUR' });
      const priced = calculate(cart([line('A', 1200), line('B', 800)], { shipping: { methodId: 'flat', amount: 300 } }), facts({ automatic: [fifty] }));
      expect(priced.discounts[0].amount).toBe(2000);
      expect(priced.lines.map((l) => l.total)).toEqual([0, 0]);
      expect(priced.totals).toEqual({ subtotal: 2000, discount: 2000, shipping: 300, tax: 0, total: 300 });
    });

    it('computes every order discount on the subtotal after line discounts and caps them together', () => {
      const half = promo({ kind: 'order_percentage', percentage: 50 });
      const sixty = promo({ kind: 'order_percentage', percentage: 60 });
      const priced = calculate(cart([line('A', 1000)]), facts({ automatic: [half, sixty] }));
      expect(priced.discounts.map((d) => d.amount)).toEqual([500, 500]);
      expect(priced.totals.total).toBe(0);
    });
  });

  describe('line discounts', () => {
    it('applies to lines matching by SKU, category or brand, and not to others', () => {
      const rule = promo({ kind: 'line_percentage', percentage: 20, targets: { skus: ['A'], categoryIds: ['cat-shoes'], brandIds: ['brand-acme'] } });
      const lines = [line('A', 1000), line('B', 1000, 1, { categoryIds: ['cat-x', 'cat-shoes'] }), line('C', 1000, 1, { brandId: 'brand-acme' }), line('D', 1000)];
      const priced = calculate(cart(lines), facts({ automatic: [rule] }));
      expect(priced.lines.map((l) => l.discount)).toEqual([200, 200, 200, 0]);
      expect(priced.discounts[0]).toMatchObject({ kind: 'line_percentage', amount: 600 });
    });

    it('takes a fixed amount off each matching unit, never more than the line', () => {
      const rule = promo({ kind: 'line_fixed', amount: 300, currency: 'EUR', targets: { skus: ['A', 'B'], categoryIds: [], brandIds: [] } });
      const priced = calculate(cart([line('A', 1000, 3), line('B', 200, 2)]), facts({ automatic: [rule] }));
      expect(priced.lines.map((l) => l.discount)).toEqual([900, 400]);
      expect(priced.discounts[0].amount).toBe(1300);
    });

    it('applies line promotions in turn on what is left, then order promotions on the rest', () => {
      const lineHalf = promo({ kind: 'line_percentage', percentage: 50, targets: { skus: ['A'], categoryIds: [], brandIds: [] } });
      const lineFixed = promo({ kind: 'line_fixed', amount: 400, currency: 'EUR', targets: { skus: ['A'], categoryIds: [], brandIds: [] } });
      const orderTen = promo({ kind: 'order_percentage', percentage: 10 });
      // A: 1000 -> 500 (50 %) -> 100 (400 off) ; B: 900. Base 1000; 10 % = 100 spread 10/90.
      const priced = calculate(cart([line('A', 1000), line('B', 900)]), facts({ automatic: [orderTen, lineFixed, lineHalf] }));
      expect(priced.discounts.map((d) => [d.promotionId, d.amount])).toEqual([[lineHalf.id, 500], [lineFixed.id, 400], [orderTen.id, 100]]);
      expect(priced.lines.map((l) => l.discount)).toEqual([910, 90]);
      expect(priced.totals).toMatchObject({ discount: 1000, total: 900 });
    });
  });

  describe('free shipping', () => {
    it('makes shipping zero and reports what it took off, once', () => {
      const free = promo({ kind: 'free_shipping' });
      const alsoFree = promo({ kind: 'free_shipping' });
      const priced = calculate(cart([line('A', 1000)], { shipping: { methodId: 'express', amount: 990 } }), facts({ automatic: [free, alsoFree] }));
      expect(priced.shipping).toBe(0);
      expect(priced.discounts.map((d) => d.amount)).toEqual([990, 0]);
      expect(priced.totals).toEqual({ subtotal: 1000, discount: 0, shipping: 0, tax: 0, total: 1000 });
    });

    it('applies before a method is chosen (nothing to take off yet)', () => {
      const free = promo({ kind: 'free_shipping', code: 'SHIPFREE' });
      const priced = calculate(cart([line('A', 1000)], { couponCodes: ['shipfree'] }), facts({ coupons: withCoupons(free) }));
      expect(priced.coupons).toEqual([{ code: 'shipfree', applied: true }]);
      expect(priced.discounts[0]).toMatchObject({ code: 'SHIPFREE', amount: 0 });
    });
  });

  describe('tax', () => {
    it('adds tax per line on the discounted net when prices exclude tax', () => {
      // 19 % of 333 = 63.27 -> 63 ; of 1001 = 190.19 -> 190 ; the 5 % discount (67) is spread first.
      const five = promo({ kind: 'order_percentage', percentage: 5 });
      const priced = calculate(cart([line('A', 333), line('B', 1001)], { destination: { countryCode: 'DE' } }), facts({ automatic: [five], taxRate: vat(1900) }));
      expect(priced.lines.map((l) => [l.discount, l.tax, l.total])).toEqual([[17, 60, 376], [50, 181, 1132]]);
      expect(priced.totals).toEqual({ subtotal: 1334, discount: 67, shipping: 0, tax: 241, total: 1508 });
      expect(priced.lines[0].taxRate).toEqual({ id: 'rate-de', name: 'MwSt', basisPoints: 1900 });
    });

    it('extracts the tax part per line when prices include tax, and leaves the total alone', () => {
      // 1190 × 1900 / 11900 = 190 ; 1000 × 1900 / 11900 = 159.66 -> 160 ; 5 × 1900 / 11900 = 0.798 -> 1
      const priced = calculate(cart([line('A', 1190), line('B', 1000), line('C', 5)], { shipping: { methodId: 'flat', amount: 500 } }), facts({ taxRate: vat(1900), pricesIncludeTax: true }));
      expect(priced.lines.map((l) => [l.tax, l.total])).toEqual([[190, 1190], [160, 1000], [1, 5]]);
      expect(priced).toMatchObject({ taxIncluded: true, totals: { subtotal: 2195, discount: 0, shipping: 500, tax: 351, total: 2695 } });
    });

    it('rounds exactly half a unit away from zero', () => {
      // 50 × 1000 / 10000 = 5 ; 5 × 1000 / 10000 = 0.5 -> 1 ; 25 × 1000 / 10000 = 2.5 -> 3
      const priced = calculate(cart([line('A', 5), line('B', 25)]), facts({ taxRate: vat(1000) }));
      expect(priced.lines.map((l) => l.tax)).toEqual([1, 3]);
    });

    it('charges no tax without a rate (no destination yet, or a country without one) and never on shipping', () => {
      const priced = calculate(cart([line('A', 1000)], { shipping: { methodId: 'flat', amount: 500 } }), facts());
      expect(priced.totals).toMatchObject({ tax: 0, total: 1500 });
      expect(priced.lines[0].taxRate).toBeNull();
      const taxed = calculate(cart([line('A', 1000)], { shipping: { methodId: 'flat', amount: 500 } }), facts({ taxRate: vat(2000) }));
      expect(taxed.totals).toMatchObject({ tax: 200, shipping: 500, total: 1700 });
    });
  });

  describe('coupons', () => {
    const code = (c: string, extra: Partial<PromotionRule> = {}) => promo({ code: c, kind: 'order_percentage', percentage: 10, ...extra });
    const reasonOf = (rule: PromotionRule, input: Partial<PriceCartInput> = {}, extra: Partial<PricingFacts> = {}) =>
      calculate(cart([line('A', 1000)], { couponCodes: [String(rule.code).toLowerCase()], ...input }), facts({ coupons: withCoupons(rule), ...extra })).coupons[0];

    it('matches codes case-insensitively, ignores a repeated code and reports unknown ones', () => {
      const save = code('SAVE10');
      const priced = calculate(cart([line('A', 1000)], { couponCodes: [' save10', 'SAVE10', 'NOPE'] }), facts({ coupons: new Map([['SAVE10', save], ['NOPE', null]]) }));
      expect(priced.coupons).toEqual([{ code: ' save10', applied: true }, { code: 'NOPE', applied: false, reason: 'unknown', detail: expect.any(String) }]);
      expect(priced.discounts).toEqual([expect.objectContaining({ code: 'SAVE10', amount: 100 })]);
    });

    it.each<[string, Partial<PromotionRule>, string]>([
      ['inactive', { active: false }, 'inactive'],
      ['not yet started', { startsAt: '2026-12-01T00:00:00.000Z' }, 'not_started'],
      ['ended (the end instant is excluded)', { endsAt: NOW }, 'expired'],
      ['used up', { usageLimit: 5, uses: 5 }, 'exhausted'],
      ['in another currency', { kind: 'order_fixed', percentage: null, amount: 500, currency: 'USD' }, 'not_applicable'],
      ['above the subtotal minimum', { minSubtotal: 1001, currency: 'EUR' }, 'minimum_not_met'],
      ['for lines not in the cart', { kind: 'line_percentage', targets: { skus: ['Z'], categoryIds: [], brandIds: [] } }, 'not_applicable'],
      ['for a group, to a guest', { customerGroup: 'vip' }, 'customer_only'],
      ['for a first order, to a guest', { firstOrderOnly: true }, 'customer_only'],
    ])('rejects a code %s', (_label, extra, reason) => {
      expect(reasonOf(code(`C${++ids}`, extra))).toMatchObject({ applied: false, reason });
    });

    it('checks group membership, first orders and per-customer uses of a signed-in customer', () => {
      const customerId = 'c1';
      const vip = code('VIP', { customerGroup: 'vip' });
      expect(reasonOf(vip, { customerId }, { customer: { groups: ['staff'], hasOrdered: false } })).toMatchObject({ reason: 'group_only' });
      expect(reasonOf(vip, { customerId }, { customer: { groups: ['vip'], hasOrdered: true } })).toEqual({ code: 'vip', applied: true });
      const welcome = code('WELCOME', { firstOrderOnly: true });
      expect(reasonOf(welcome, { customerId }, { customer: { groups: [], hasOrdered: true } })).toMatchObject({ reason: 'first_order_only' });
      expect(reasonOf(welcome, { customerId }, { customer: { groups: [], hasOrdered: false } })).toMatchObject({ applied: true });
      const once = code('ONCE', { perCustomerLimit: 1 });
      expect(reasonOf(once, { customerId }, { customer: { groups: [], hasOrdered: false }, customerUses: new Map([[once.id, 1]]) })).toMatchObject({ reason: 'customer_limit_reached' });
      expect(reasonOf(once, { customerId }, { customer: { groups: [], hasOrdered: false } })).toMatchObject({ applied: true });
    });

    it('stacks automatic promotions with every applicable coupon, automatic first', () => {
      const auto = promo({ kind: 'order_fixed', amount: 100, currency: 'EUR' });
      const ten = code('TEN');
      const priced = calculate(cart([line('A', 2000)], { couponCodes: ['TEN'] }), facts({ automatic: [auto], coupons: withCoupons(ten) }));
      expect(priced.discounts.map((d) => [d.code, d.amount])).toEqual([[null, 100], ['TEN', 200]]);
      expect(priced.totals.total).toBe(1700);
    });

    it('skips automatic promotions that do not apply, silently', () => {
      const later = promo({ kind: 'order_percentage', percentage: 10, startsAt: '2027-01-01T00:00:00.000Z' });
      const big = promo({ kind: 'order_percentage', percentage: 10, minSubtotal: 5000, currency: 'EUR' });
      const priced = calculate(cart([line('A', 1000)]), facts({ automatic: [later, big] }));
      expect(priced.discounts).toEqual([]);
      expect(priced.coupons).toEqual([]);
    });
  });
});
