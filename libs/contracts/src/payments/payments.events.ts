/** Every payment state change publishes one of these (v1) through the outbox, in the same transaction. */
// A type, not an interface: it must be assignable to DomainEvent's index signature.
export type PaymentEvent = {
  name: 'payments.payment-authorized' | 'payments.payment-captured' | 'payments.payment-failed' | 'payments.payment-refunded' | 'payments.payment-voided';
  version: 1;
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  captured: number;
  refunded: number;
  /** payment-failed: `declined` (the card) or `not_charged` (the provider never charged; a retry may try again). */
  reason?: 'declined' | 'not_charged';
};

export const PaymentEvents = {
  authorized: 'payments.payment-authorized',
  captured: 'payments.payment-captured',
  failed: 'payments.payment-failed',
  refunded: 'payments.payment-refunded',
  voided: 'payments.payment-voided',
} as const;
