import type { OrderView } from '#contracts';
import type { OrderWithLines } from './orders.repository.js';

export function toOrderView({ order, lines }: OrderWithLines): OrderView {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    customerId: order.customerId,
    email: order.email,
    currency: order.currency,
    lines: lines.map((l) => ({
      sku: l.sku, productId: l.productId, productName: l.productName, options: l.options, quantity: l.quantity,
      unitPrice: l.unitPrice, subtotal: l.subtotal, discount: l.discount, tax: l.tax, total: l.total,
    })),
    totals: { subtotal: order.subtotal, discount: order.discount, shipping: order.shipping, tax: order.tax, total: order.total },
    taxIncluded: order.taxIncluded,
    shippingAddress: order.shippingAddress,
    billingAddress: order.billingAddress,
    shippingMethod: order.shippingMethod,
    placedAt: new Date(order.placedAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
  };
}
