import type { PaymentEvent, PaymentState } from '#contracts';
import type { Charge } from './gateway/payment-gateway.js';
import type { PaymentAttempt } from './payment-attempt.entity.js';
import type { Payment } from './payment.entity.js';
import type { ProviderEvent } from './webhooks/provider-event.js';

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

/** Where a payment may go from each state: a provider's event never moves it back. */
const FORWARD: Record<PaymentState, PaymentState[]> = {
  pending: ['authorized', 'captured', 'partially_refunded', 'refunded', 'voided'],
  authorized: ['captured', 'partially_refunded', 'refunded', 'voided'],
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  refunded: [],
  voided: [],
  failed: [],
};

/** True when the change is news: a later state, or more refunded; an older event after a newer state is not. */
export function movesForward(payment: Payment, change: PaymentChange): boolean {
  const to = change.patch.state ?? payment.state;
  const refundedMore = (change.patch.refunded ?? payment.refunded) > payment.refunded;
  if ((change.patch.captured ?? payment.captured) < payment.captured || (change.patch.refunded ?? payment.refunded) < payment.refunded) return false;
  return FORWARD[payment.state].includes(to) && (to !== payment.state || refundedMore);
}

/** What a provider's event does: settle the open attempt it answers, or move the payment forward. */
export interface EventStep {
  attempt: PaymentAttempt | null;
  outcome: 'succeeded' | 'declined';
  change: PaymentChange;
}

function answeredAttempt(event: ProviderEvent, open: PaymentAttempt[]): PaymentAttempt | undefined {
  const authorize = open.find((a) => a.kind === 'authorize' && (!event.attemptKey || a.providerKey === event.attemptKey));
  switch (event.kind) {
    case 'authorized':
    case 'failed':
      return authorize;
    case 'succeeded':
      return authorize ?? open.find((a) => a.kind === 'capture');
    case 'canceled':
      return open.find((a) => a.kind === 'void');
    case 'refunded':
      return open.find((a) => a.kind === 'refund' && (event.refund?.key ? a.providerKey === event.refund.key : a.amount === event.refund?.amount));
    default:
      return undefined;
  }
}

/**
 * The same transitions a synchronous answer makes (fromCharge, declined, refunded), chosen for an
 * event that may come late, twice or out of order. Null: nothing to do.
 */
export function stepForEvent(payment: Payment, event: ProviderEvent, open: PaymentAttempt[]): EventStep | null {
  const charge = event.charge;
  if (!event.kind || !charge) return null;
  const attempt = answeredAttempt(event, open) ?? null;
  // Without an open attempt it answers, an event moves the payment only when it is about the charge
  // the payment holds: another charge (one the provider made for an attempt settled as never charged)
  // is not this payment's money, and its capture or refund must not count as ours.
  if (!attempt && charge.ref !== payment.providerRef) return null;
  if (event.kind === 'failed') return attempt ? { attempt, outcome: 'declined', change: declined(charge.ref) } : null;
  if (event.kind === 'refunded') {
    if (attempt) return { attempt, outcome: 'succeeded', change: refunded(payment, attempt.amount) };
    // A refund of ours still open may be this one: its own answer settles it, or the totals would count it twice.
    if (open.some((a) => a.kind === 'refund')) return null;
    const change: PaymentChange = {
      patch: { refunded: charge.amountRefunded, state: refundState(payment.captured, charge.amountRefunded) },
      events: ['payments.payment-refunded'],
      note: 'refunded at the provider',
    };
    return payment.captured > 0 && movesForward(payment, change) ? { attempt: null, outcome: 'succeeded', change } : null;
  }
  const change = fromCharge(payment, charge);
  if (attempt) return { attempt, outcome: 'succeeded', change };
  return movesForward(payment, change) ? { attempt: null, outcome: 'succeeded', change } : null;
}
