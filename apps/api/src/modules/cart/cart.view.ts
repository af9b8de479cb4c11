import type { CartLineView, CartView, ShippingMethodView } from '#contracts';
import type { CartState } from './cart.model.js';

export function cartView(cart: CartState, rates: ShippingMethodView[]): CartView {
  const priced = new Map(cart.pricing.lines.map((l) => [l.lineId, l]));
  return {
    id: cart.id,
    customerId: cart.customerId,
    status: cart.status,
    currency: cart.currency,
    lines: cart.lines.map((line): CartLineView => {
      const subtotal = line.unitPrice * line.quantity;
      const p = priced.get(line.id);
      return {
        id: line.id,
        sku: line.sku,
        productId: line.productId,
        productName: line.productName,
        options: line.options,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        subtotal: p?.subtotal ?? subtotal,
        discount: p?.discount ?? 0,
        tax: p?.tax ?? 0,
        total: p?.total ?? subtotal,
        previousUnitPrice: line.previousUnitPrice,
      };
    }),
    coupons: cart.pricing.coupons,
    discounts: cart.pricing.discounts,
    shippingAddress: cart.shippingAddress,
    shippingMethod: rates.find((r) => r.id === cart.shippingMethodId) ?? null,
    taxIncluded: cart.pricing.taxIncluded,
    totals: cart.pricing.totals,
    version: cart.version,
    updatedAt: new Date(cart.updatedAt).toISOString(),
  };
}
