import { Injectable } from '@nestjs/common';
import type { CallContext, CouponResult, PriceCartInput, PricedCart } from '#contracts';
import { Channels } from './channels.js';
import { calculate, type PricingFacts } from './pricing-calculator.js';
import { CODE_PATTERN, checkPriceCartInput } from './pricing-input.js';
import { PricingReads } from './pricing-reads.js';
import { normaliseCode, type PromotionRule, rateFor } from './pricing-rules.js';
import { CouponRejectedError } from './pricing.errors.js';
import { toRule } from './promotion.view.js';
import { PromotionsRepository } from './promotions.repository.js';
import { customerKey } from './redemptions.service.js';

const needsCustomer = (rules: (PromotionRule | null)[]) => rules.some((r) => r !== null && (r.customerGroup !== null || r.firstOrderOnly));

/** Prices carts and checks codes; the arithmetic is the pure calculator's. */
@Injectable()
export class PricingService {
  constructor(
    private readonly reads: PricingReads,
    private readonly promotions: PromotionsRepository,
    private readonly channels: Channels,
  ) {}

  /** From cache only, normally: automatic promotions, entered codes, tax rates, the customer's facts (per-customer uses fresh, see customerUses). */
  async priceCart(_ctx: CallContext, input: PriceCartInput): Promise<PricedCart> {
    checkPriceCartInput(input);
    const codes = [...new Set(input.couponCodes.map(normaliseCode))];
    const [automatic, rates, ...found] = await Promise.all([
      this.reads.automatic(),
      this.reads.rates(),
      ...codes.map((code) => (CODE_PATTERN.test(code) ? this.reads.coupon(code) : Promise.resolve(null))),
    ]);
    const coupons = new Map(codes.map((code, i) => [code, found[i]]));
    return calculate(input, await this.facts(input, automatic, coupons, rates));
  }

  /**
   * Whether `code` works on this cart, read fresh from the database (a shopper adding a code is
   * rare): uses so far and this customer's uses included. Throws PRICING.COUPON_REJECTED otherwise.
   */
  async checkCoupon(_ctx: CallContext, code: string, cart: PriceCartInput): Promise<CouponResult> {
    checkPriceCartInput(cart);
    const normalised = typeof code === 'string' ? normaliseCode(code) : '';
    const found = CODE_PATTERN.test(normalised) ? await this.promotions.findByCode(normalised) : null;
    const rule = found ? toRule(found) : null;
    const input = { ...cart, couponCodes: [typeof code === 'string' ? code : ''] };
    const [automatic, rates] = await Promise.all([this.reads.automatic(), this.reads.rates()]);
    const facts = await this.facts(input, automatic, new Map([[normalised, rule]]), rates);
    const [result] = calculate(input, facts).coupons;
    if (!result.applied) throw new CouponRejectedError(result.code, result.reason ?? 'unknown', result.detail ?? 'This code cannot be used');
    return result;
  }

  private async facts(input: PriceCartInput, automatic: PromotionRule[], coupons: Map<string, PromotionRule | null>, rates: Awaited<ReturnType<PricingReads['rates']>>): Promise<PricingFacts> {
    const rules = [...automatic, ...coupons.values()];
    const [customer, customerUses] = await Promise.all([
      !input.customerId ? null : needsCustomer(rules) ? this.reads.customer(input.customerId) : { groups: [], hasOrdered: false },
      this.customerUses(input, rules),
    ]);
    return { automatic, coupons, customer, customerUses, taxRate: rateFor(rates, input.destination), pricesIncludeTax: this.channels.settings(input.channel).pricesIncludeTax };
  }

  /**
   * A signed-in customer's (or, at checkout, a guest email's) uses of the promotions here that limit uses per customer, read fresh
   * (only such promotions cost the query): a cart must not show a discount that the redeem at
   * checkout would refuse, least of all an automatic one the shopper cannot take off.
   */
  private async customerUses(input: PriceCartInput, rules: (PromotionRule | null)[]): Promise<Map<string, number> | undefined> {
    const key = customerKey(input.customerId, input.email ?? null);
    const limited = rules.flatMap((rule) => (rule?.perCustomerLimit != null ? [rule.id] : []));
    return key && limited.length > 0 ? this.promotions.customerUses(key, limited) : undefined;
  }
}
