import type { Address, CartLineView, CartStatus, PricedCart } from '#contracts';

/**
 * A line as the cart row stores it (prices in minor units of the cart's currency): `unitPrice` is
 * the price the cart last showed, `previousUnitPrice` what it showed before the last re-read changed it.
 */
export type StoredLine = Pick<CartLineView, 'id' | 'sku' | 'productId' | 'productName' | 'options' | 'quantity' | 'unitPrice' | 'previousUnitPrice'>;

/** What pricing answered for the lines as stored, so reads need no pricing call. */
export type PricingSnapshot = Omit<PricedCart, 'currency'>;

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
