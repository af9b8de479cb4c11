import type { PaymentView, RefundView } from '#contracts';
import type { Payment } from './payment.entity.js';
import type { Refund } from './refund.entity.js';

export const toPaymentView = (p: Payment): PaymentView => ({
  id: p.id,
  orderId: p.orderId,
  amount: p.amount,
  currency: p.currency.toUpperCase(),
  captured: p.captured,
  refunded: p.refunded,
  state: p.state,
  captureMode: p.captureMode,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const toRefundView = (r: Refund): RefundView => ({
  id: r.id,
  paymentId: r.paymentId,
  amount: r.amount,
  state: r.state,
  createdAt: r.createdAt.toISOString(),
});
