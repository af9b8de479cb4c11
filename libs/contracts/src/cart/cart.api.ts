import type { CallContext } from '../call-context.js';
import type { Address } from '../customers/address.js';
import type { AppliedDiscount, CouponResult, PriceTotals } from '../pricing/pricing.api.js';

export type CartStatus = 'open' | 'converted' | 'merged';

export interface CartLineView {
  id: string;
  sku: string;
  productId: string;
  productName: string;
  options: Record<string, string>;
  quantity: number;
  /** Integer minor units, re-read from the catalog on every change and at checkout. */
  unitPrice: number;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  /** Set when the price differs from what this cart last showed: the shopper sees it before paying. */
  previousUnitPrice: number | null;
}

export interface ShippingMethodView {
  id: string;
  name: string;
  /** The method's rate before promotions. */
  amount: number;
}

export interface CartView {
  id: string;
  customerId: string | null;
  status: CartStatus;
  currency: string;
  lines: CartLineView[];
  coupons: CouponResult[];
  discounts: AppliedDiscount[];
  shippingAddress: Address | null;
  shippingMethod: ShippingMethodView | null;
  taxIncluded: boolean;
  totals: PriceTotals;
  /** Bumped on every change. */
  version: number;
  updatedAt: string;
}

/** A re-priced cart ready to become an order, with what checkout needs to snapshot and redeem. */
export interface CheckoutCart extends CartView {
  lines: (CartLineView & { categoryIds: string[]; brandId: string | null; taxRate: { id: string; name: string; basisPoints: number } | null })[];
  /**
   * True when any line's price changed at this re-read, or the total did while the checkout changed
   * nothing the cart was priced for (address, shipping method): checkout must show it, not charge it.
   */
  pricesChanged: boolean;
}

export interface PrepareCheckoutInput {
  cartId: string;
  shippingAddress?: Address;
  shippingMethodId?: string;
  /** A guest's email: the cart is priced with that guest's uses of per-customer-limited promotions. */
  email?: string;
}

export interface CartApi {
  /**
   * Stores the address and method checkout was given (either may be omitted when the cart already
   * has one; no method means the default one), re-reads prices and stock now and stores the result
   * (so the shopper's next read shows any change). Throws CART.NOT_FOUND when the caller may not
   * see the cart (another customer's, or a guest cart without its token), CART.NOT_OPEN when it was
   * already converted or merged, and CART.INCOMPLETE (unprocessable, `missing` listing `lines`,
   * `shippingAddress`) when it has no lines or no address.
   */
  prepareCheckout(ctx: CallContext, input: PrepareCheckoutInput): Promise<CheckoutCart>;
  /** The cart became this order; repeating it with the same order is a no-op. */
  markConverted(ctx: CallContext, input: { cartId: string; orderId: string }): Promise<void>;
}

export const CartPatterns = {
  prepareCheckout: 'cart.prepare-checkout',
  markConverted: 'cart.mark-converted',
} satisfies Record<keyof CartApi, string>;

export const CART_API = Symbol('CART_API');
