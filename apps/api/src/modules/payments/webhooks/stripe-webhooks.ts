import Stripe from 'stripe';
import { ATTEMPT_KEY_METADATA, chargeOf } from '../gateway/stripe.gateway.js';
import type { Charge } from '../gateway/payment-gateway.js';
import { WebhookSignatureError } from '../payments.errors.js';
import { EVENT_KINDS, type ProviderEvent, paymentIdFrom, type WebhookVerifier } from './provider-event.js';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
const TOLERANCE_S = 300;

/** Stripe's scheme, checked by the SDK (`webhooks.constructEvent`: HMAC-SHA256 of `t.body`, 5 minutes' tolerance). */
export class StripeWebhooks implements WebhookVerifier {
  readonly provider = 'stripe';

  constructor(private readonly secret: string) {}

  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): ProviderEvent {
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, headers[STRIPE_SIGNATURE_HEADER] ?? '', this.secret, TOLERANCE_S);
    } catch (error) {
      throw new WebhookSignatureError(`Stripe signature refused: ${(error as Error).message}`);
    }
    return toProviderEvent(event);
  }
}

function toProviderEvent(event: Stripe.Event): ProviderEvent {
  const kind = EVENT_KINDS.get(event.type) ?? null;
  const none: ProviderEvent = { id: event.id, type: event.type, kind: null };
  if (!kind) return none;
  if (event.type === 'charge.refunded') {
    const charge = event.data.object;
    if (typeof charge.payment_intent !== 'string') return none;
    const status = charge.amount_refunded >= charge.amount_captured ? 'refunded' : 'partially_refunded';
    const view: Charge = { ref: charge.payment_intent, status, amountCaptured: charge.amount_captured, amountRefunded: charge.amount_refunded };
    return { id: event.id, type: event.type, kind, charge: view, paymentId: paymentIdFrom(charge.metadata) };
  }
  const intent = event.data.object as Stripe.PaymentIntent;
  let charge: Charge;
  try {
    charge = chargeOf(intent);
  } catch {
    return none; // processing: a later event tells the outcome
  }
  return { id: event.id, type: event.type, kind, charge, paymentId: paymentIdFrom(intent.metadata), attemptKey: intent.metadata?.[ATTEMPT_KEY_METADATA] };
}
