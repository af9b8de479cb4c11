import type { CallContext } from '../call-context.js';

/** A cart line as pricing needs it; the caller has just read `unitPrice` from the catalog. */
export interface PriceableLine {
  lineId: string;
  sku: string;
  productId: string;
  quantity: number;
  /** Integer minor units, as the catalog sells it now (tax-inclusive or not per the channel's setting). */
  unitPrice: number;
  categoryIds: string[];
  brandId: string | null;
}

export interface PriceCartInput {
  /** ISO 4217; every line is in it (the caller refuses mixed currencies before asking). */
  currency: string;
  lines: PriceableLine[];
  /** Codes the shopper entered, as entered; pricing matches them case-insensitively. */
  couponCodes: string[];
  /** null for a guest. Groups and first-order status are pricing's own knowledge of the customer. */
  customerId: string | null;
  /** A guest's email when known (at checkout): a guest's uses of per-customer-limited promotions count by it. */
  email?: string;
  /** The shipping method's own rate before promotions; null when none is chosen yet. */
  shipping: { methodId: string; amount: number } | null;
  /** Where the goods go; tax needs it. null before an address is given (then no tax is added). */
  destination: { countryCode: string; region?: string } | null;
  /** Default 'web'. Decides whether prices include tax. */
  channel?: string;
  /** UTC ISO 8601; default now. Validity windows are checked at this instant. */
  at?: string;
}

export interface PricedLine {
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice: number;
  /** unitPrice × quantity. */
  subtotal: number;
  /** Every promotion's share of this line, order-level discounts spread over lines (documented rounding). */
  discount: number;
  /** Tax of this line, rounded per line (half away from zero). */
  tax: number;
  taxRate: { id: string; name: string; basisPoints: number } | null;
  /** subtotal − discount (+ tax when prices exclude tax). */
  total: number;
}

export interface AppliedDiscount {
  promotionId: string;
  /** The coupon code that unlocked it, or null for an automatic promotion. */
  code: string | null;
  name: string;
  kind: 'order_percentage' | 'order_fixed' | 'line_percentage' | 'line_fixed' | 'free_shipping';
  /** Integer minor units taken off (shipping included for free_shipping). */
  amount: number;
}

/** Why a code the shopper entered does nothing. */
export type CouponRejection = 'unknown' | 'expired' | 'not_started' | 'exhausted' | 'customer_limit_reached' | 'not_applicable' | 'minimum_not_met' | 'customer_only' | 'first_order_only' | 'group_only' | 'inactive';

export interface CouponResult {
  code: string;
  applied: boolean;
  reason?: CouponRejection;
  detail?: string;
}

export interface PriceTotals {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
}

export interface PricedCart {
  currency: string;
  /** True when the channel's prices include tax (tax is then the part of the total that is tax). */
  taxIncluded: boolean;
  lines: PricedLine[];
  discounts: AppliedDiscount[];
  coupons: CouponResult[];
  /** Shipping after promotions. */
  shipping: number;
  totals: PriceTotals;
}

export interface RedeemInput {
  /** The order the redemption belongs to; redeeming again for the same reference is a no-op. */
  reference: string;
  customerId: string | null;
  /** For per-customer limits of guests; stored hashed. */
  email: string | null;
  promotionIds: string[];
}

export interface PricingApi {
  /** Totals for a cart now. Never throws for a bad coupon: it is reported in `coupons`. */
  priceCart(ctx: CallContext, input: PriceCartInput): Promise<PricedCart>;
  /**
   * Is this code usable on this cart? Throws PRICING.COUPON_REJECTED (unprocessable, `reason` a
   * CouponRejection) when not; used when a shopper adds a code.
   */
  checkCoupon(ctx: CallContext, code: string, cart: PriceCartInput): Promise<CouponResult>;
  /**
   * Takes one use of each promotion atomically (total and per-customer limits); all or none.
   * Throws PRICING.PROMOTION_EXHAUSTED (unprocessable, naming the promotion and reason) otherwise.
   */
  redeem(ctx: CallContext, input: RedeemInput): Promise<void>;
  /** Gives the uses of a reference back (order cancelled or payment declined). Repeating it is a no-op. */
  releaseRedemptions(ctx: CallContext, reference: string): Promise<void>;
}

export const PricingPatterns = {
  priceCart: 'pricing.price-cart',
  checkCoupon: 'pricing.check-coupon',
  redeem: 'pricing.redeem',
  releaseRedemptions: 'pricing.release-redemptions',
} satisfies Record<keyof PricingApi, string>;

export const PRICING_API = Symbol('PRICING_API');
