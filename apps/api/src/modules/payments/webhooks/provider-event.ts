import { isUuid } from '#platform';
import type { Charge } from '../gateway/payment-gateway.js';

/** What a provider's event says, in our words; `kind` null is a type we take in and do not act on. */
export type ProviderEventKind = 'authorized' | 'succeeded' | 'failed' | 'canceled' | 'refunded';

/** The event types both providers send (the simulator is Stripe-shaped), and what each tells. */
export const EVENT_KINDS: ReadonlyMap<string, ProviderEventKind> = new Map([
  ['payment_intent.amount_capturable_updated', 'authorized'],
  ['payment_intent.succeeded', 'succeeded'],
  ['payment_intent.payment_failed', 'failed'],
  ['payment_intent.canceled', 'canceled'],
  ['charge.refunded', 'refunded'],
]);

export interface ProviderEvent {
  id: string;
  type: string;
  kind: ProviderEventKind | null;
  charge?: Charge;
  /** Our payment id, from the metadata we gave the provider. */
  paymentId?: string;
  /** The key the charge was created with, when the provider tells it: names the authorize attempt. */
  attemptKey?: string;
  refund?: { key?: string; amount: number };
}

/** Checks a webhook's signature over its raw body and reads the event; throws WebhookSignatureError. */
export interface WebhookVerifier {
  readonly provider: string;
  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): ProviderEvent;
}

export const WEBHOOK_VERIFIER = Symbol('WEBHOOK_VERIFIER');

/** A metadata value we may look a payment up by. */
export const paymentIdFrom = (metadata: unknown): string | undefined => {
  const id = (metadata as { paymentId?: unknown } | null | undefined)?.paymentId;
  return isUuid(id) ? id : undefined;
};
