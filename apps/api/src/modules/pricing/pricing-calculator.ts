import type { AppliedDiscount, CouponRejection, CouponResult, PriceableLine, PriceCartInput, PricedCart, PricedLine } from '#contracts';
import { mulDivRound, spread } from './money.js';
import { type CustomerFacts, LINE_KINDS, normaliseCode, type PromotionRule, type TaxRateRule } from './pricing-rules.js';

/** Everything the calculator needs besides the cart; gathered (mostly from cache) by the service. */
export interface PricingFacts {
  automatic: readonly PromotionRule[];
  /** By normalised code; null for a code no promotion has. */
  coupons: ReadonlyMap<string, PromotionRule | null>;
  /** null for a guest. */
  customer: CustomerFacts | null;
  taxRate: TaxRateRule | null;
  pricesIncludeTax: boolean;
  /** The customer's uses per promotion when read fresh (checkCoupon); otherwise the limit is left to redeem. */
  customerUses?: ReadonlyMap<string, number>;
}

const DETAIL: Record<CouponRejection, string> = {
  unknown: 'No promotion has this code',
  inactive: 'This code is no longer active',
  not_started: 'This code is not valid yet',
  expired: 'This code has expired',
  exhausted: 'This code has been used up',
  customer_limit_reached: 'You have already used this code as often as allowed',
  customer_only: 'Sign in to use this code',
  group_only: 'This code is for selected customers only',
  first_order_only: 'This code is for a first order only',
  minimum_not_met: 'The cart does not reach the minimum for this code',
  not_applicable: 'This code does not apply to anything in the cart',
};

export function matches(rule: PromotionRule, line: PriceableLine): boolean {
  const { skus, categoryIds, brandIds } = rule.targets;
  return skus.includes(line.sku) || (line.brandId !== null && brandIds.includes(line.brandId)) || line.categoryIds.some((c) => categoryIds.includes(c));
}

/** Why `rule` cannot apply to this cart now, or null when it can. */
export function rejection(rule: PromotionRule, input: PriceCartInput, facts: PricingFacts, at: number, subtotal: number): CouponRejection | null {
  if (!rule.active) return 'inactive';
  if (rule.startsAt && at < Date.parse(rule.startsAt)) return 'not_started';
  if (rule.endsAt && at >= Date.parse(rule.endsAt)) return 'expired';
  if (rule.usageLimit !== null && rule.uses >= rule.usageLimit) return 'exhausted';
  if ((rule.customerGroup || rule.firstOrderOnly) && (!input.customerId || !facts.customer)) return 'customer_only';
  if (rule.customerGroup && !facts.customer?.groups.includes(rule.customerGroup)) return 'group_only';
  if (rule.firstOrderOnly && facts.customer?.hasOrdered) return 'first_order_only';
  if (rule.perCustomerLimit !== null && (facts.customerUses?.get(rule.id) ?? 0) >= rule.perCustomerLimit) return 'customer_limit_reached';
  if (rule.currency !== null && rule.currency !== input.currency) return 'not_applicable';
  if (rule.minSubtotal !== null && subtotal < rule.minSubtotal) return 'minimum_not_met';
  if (LINE_KINDS.includes(rule.kind) && !input.lines.some((line) => matches(rule, line))) return 'not_applicable';
  return null;
}

const byAge = (a: PromotionRule, b: PromotionRule) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * Prices a cart (see README, Pricing and promotions): line promotions first, each on what is left
 * of a line; then order promotions, each on the subtotal after line discounts, capped at what is
 * left and spread over the lines; then free shipping; then tax per line. Pure: no I/O.
 */
export function calculate(input: PriceCartInput, facts: PricingFacts): PricedCart {
  const at = input.at ? Date.parse(input.at) : Date.now();
  const subtotals = input.lines.map((line) => line.unitPrice * line.quantity);
  const subtotal = subtotals.reduce((sum, s) => sum + s, 0);

  const applying: { rule: PromotionRule; code: string | null }[] = [...facts.automatic]
    .filter((rule) => rule.code === null && rejection(rule, input, facts, at, subtotal) === null)
    .sort(byAge)
    .map((rule) => ({ rule, code: null }));
  const coupons: CouponResult[] = [];
  const seen = new Set<string>();
  for (const entered of input.couponCodes) {
    const code = normaliseCode(entered);
    if (seen.has(code)) continue;
    seen.add(code);
    const rule = facts.coupons.get(code) ?? null;
    const reason: CouponRejection | null = rule ? rejection(rule, input, facts, at, subtotal) : 'unknown';
    if (reason || !rule) coupons.push({ code: entered, applied: false, reason: reason ?? 'unknown', detail: DETAIL[reason ?? 'unknown'] });
    else {
      coupons.push({ code: entered, applied: true });
      applying.push({ rule, code });
    }
  }

  const discounts: AppliedDiscount[] = [];
  const applied = (rule: PromotionRule, code: string | null, amount: number) =>
    discounts.push({ promotionId: rule.id, code, name: rule.name, kind: rule.kind, amount });

  // Line promotions: each on what earlier ones left of a line.
  const left = [...subtotals];
  for (const { rule, code } of applying.filter((a) => LINE_KINDS.includes(a.rule.kind))) {
    let amount = 0;
    input.lines.forEach((line, i) => {
      if (!matches(rule, line)) return;
      const wanted = rule.kind === 'line_percentage' ? mulDivRound(left[i], rule.percentage ?? 0, 100) : (rule.amount ?? 0) * line.quantity;
      const take = Math.min(wanted, left[i]);
      left[i] -= take;
      amount += take;
    });
    applied(rule, code, amount);
  }

  // Order promotions: each computed on the subtotal after line discounts, together never more than it.
  const base = left.reduce((sum, l) => sum + l, 0);
  let orderDiscount = 0;
  for (const { rule, code } of applying.filter((a) => a.rule.kind === 'order_percentage' || a.rule.kind === 'order_fixed')) {
    const wanted = rule.kind === 'order_percentage' ? mulDivRound(base, rule.percentage ?? 0, 100) : (rule.amount ?? 0);
    const take = Math.min(wanted, base - orderDiscount);
    orderDiscount += take;
    applied(rule, code, take);
  }
  const shares = spread(orderDiscount, left);

  let shipping = input.shipping?.amount ?? 0;
  for (const { rule, code } of applying.filter((a) => a.rule.kind === 'free_shipping')) {
    applied(rule, code, shipping);
    shipping = 0;
  }

  const rate = facts.taxRate;
  const lines: PricedLine[] = input.lines.map((line, i) => {
    const net = left[i] - shares[i];
    const tax = !rate ? 0 : facts.pricesIncludeTax ? mulDivRound(net, rate.basisPoints, 10_000 + rate.basisPoints) : mulDivRound(net, rate.basisPoints, 10_000);
    return {
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      subtotal: subtotals[i],
      discount: subtotals[i] - net,
      tax,
      taxRate: rate ? { id: rate.id, name: rate.name, basisPoints: rate.basisPoints } : null,
      total: facts.pricesIncludeTax ? net : net + tax,
    };
  });
  const discount = lines.reduce((sum, l) => sum + l.discount, 0);
  const tax = lines.reduce((sum, l) => sum + l.tax, 0);
  return {
    currency: input.currency,
    taxIncluded: facts.pricesIncludeTax,
    lines,
    discounts,
    coupons,
    shipping,
    totals: { subtotal, discount, shipping, tax, total: subtotal - discount + shipping + (facts.pricesIncludeTax ? 0 : tax) },
  };
}
