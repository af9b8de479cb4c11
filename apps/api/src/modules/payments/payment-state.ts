import type { PaymentEvent, PaymentState } from '#contracts';
import type { Charge } from './gateway/payment-gateway.js';
import type { Payment } from './payment.entity.js';

/** A change to a payment that a settled attempt causes, and the events it publishes. */
export interface PaymentChange {
  patch: Partial<Pick<Payment, 'state' | 'captured' | 'refunded' | 'providerRef'>>;
  events: PaymentEvent['name'][];
  reason?: PaymentEvent['reason'];
  note: string;
}

const refundState = (captured: number, refunded: number): PaymentState =>
  refunded === 0 ? 'captured' : refunded >= captured ? 'refunded' : 'partially_refunded';

/** What the provider's view of a charge means for the payment. */
export function fromCharge(payment: Payment, charge: Charge): PaymentChange {
  const base = { providerRef: charge.ref, captured: charge.amountCaptured, refunded: charge.amountRefunded };
  switch (charge.status) {
    case 'declined':
      return declined(charge.ref);
    case 'authorized':
      return { patch: { ...base, state: 'authorized' }, events: ['payments.payment-authorized'], note: 'authorized' };
    case 'voided':
      return { patch: { ...base, state: 'voided' }, events: ['payments.payment-voided'], note: 'voided' };
    default: {
      const events: PaymentEvent['name'][] = payment.state === 'pending' ? ['payments.payment-authorized'] : [];
      events.push('payments.payment-captured');
      if (charge.amountRefunded > 0) events.push('payments.payment-refunded');
      return { patch: { ...base, state: refundState(charge.amountCaptured, charge.amountRefunded) }, events, note: charge.status };
    }
  }
}

export const declined = (ref: string | null): PaymentChange => ({
  patch: { state: 'failed', ...(ref ? { providerRef: ref } : {}) },
  events: ['payments.payment-failed'],
  reason: 'declined',
  note: 'declined',
});

/** The provider never executed the call: the payment failed, and a retry with the same request key may try again. */
export const notCharged = (): PaymentChange => ({ patch: { state: 'failed' }, events: ['payments.payment-failed'], reason: 'not_charged', note: 'not charged' });

export function refunded(payment: Payment, amount: number): PaymentChange {
  const total = payment.refunded + amount;
  return { patch: { refunded: total, state: refundState(payment.captured, total) }, events: ['payments.payment-refunded'], note: `refunded ${amount}` };
}
