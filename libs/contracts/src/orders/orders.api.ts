import type { CallContext } from '../call-context.js';
import type { Address } from '../customers/address.js';
import type { PriceTotals } from '../pricing/pricing.api.js';

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'fulfilling'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'refunded'
  | 'partially_refunded';

export interface OrderLineView {
  sku: string;
  productId: string;
  productName: string;
  options: Record<string, string>;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

export interface OrderView {
  id: string;
  /** Human-friendly and unique, e.g. FC-7K3M-92QD. */
  number: string;
  status: OrderStatus;
  customerId: string | null;
  email: string;
  currency: string;
  lines: OrderLineView[];
  totals: PriceTotals;
  taxIncluded: boolean;
  shippingAddress: Address;
  billingAddress: Address;
  shippingMethod: { id: string; name: string; amount: number };
  placedAt: string;
  updatedAt: string;
}

export interface OrdersApi {
  /** An order the caller may see (own order, or any for admins); ORDERS.NOT_FOUND otherwise. */
  getOrder(ctx: CallContext, orderId: string): Promise<OrderView>;
}

export const OrdersPatterns = {
  getOrder: 'orders.get-order',
} satisfies Record<keyof OrdersApi, string>;

export const ORDERS_API = Symbol('ORDERS_API');
