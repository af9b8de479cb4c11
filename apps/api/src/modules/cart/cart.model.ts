import type { Address, AppliedDiscount, CartStatus, CouponResult, PricedLine, PriceTotals } from '#contracts';

/** A line as the cart row stores it; prices are minor units in the cart's currency. */
export interface StoredLine {
  id: string;
  sku: string;
  productId: string;
  productName: string;
  options: Record<string, string>;
  quantity: number;
  /** The price this cart last showed for the SKU. */
  unitPrice: number;
  /** What it showed before the last re-read changed it; null once a re-read finds no change. */
  previousUnitPrice: number | null;
}

/** What pricing answered for the lines as stored, so reads need no pricing call. */
export interface PricingSnapshot {
  taxIncluded: boolean;
  lines: PricedLine[];
  discounts: AppliedDiscount[];
  coupons: CouponResult[];
  shipping: number;
  totals: PriceTotals;
}

export interface CartState {
  id: string;
  customerId: string | null;
  tokenHash: string | null;
  status: CartStatus;
  currency: string;
  lines: StoredLine[];
  couponCodes: string[];
  shippingAddress: Address | null;
  shippingMethodId: string | null;
  pricing: PricingSnapshot;
  version: number;
  orderId: string | null;
  mergedInto: string | null;
  updatedAt: Date;
}

export const EMPTY_PRICING: PricingSnapshot = {
  taxIncluded: false,
  lines: [],
  discounts: [],
  coupons: [],
  shipping: 0,
  totals: { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 },
};
