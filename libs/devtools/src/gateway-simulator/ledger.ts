import { randomBytes } from 'node:crypto';
import type { Decline } from './card-tokens.js';
import { invalidRequest, notFound } from './errors.js';

export type PaymentIntentStatus = 'declined' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'canceled';
export type CaptureMethod = 'automatic' | 'manual';

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  capture_method: CaptureMethod;
  status: PaymentIntentStatus;
  /** Still capturable: the authorized amount while `authorized`, else 0. */
  amount_capturable: number;
  amount_captured: number;
  amount_refunded: number;
  payment_method: string;
  metadata: Record<string, string>;
  /** The Idempotency-Key it was created with: the client's key, to reconcile an unknown outcome. */
  idempotency_key: string;
  last_payment_error: (Decline & { code: 'card_declined' }) | null;
  created_at: string;
  updated_at: string;
  history: Array<{ status: PaymentIntentStatus; at: string }>;
}

export interface Refund {
  id: string;
  object: 'refund';
  payment_intent: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  idempotency_key: string;
  created_at: string;
}

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  token: string;
  capture_method: CaptureMethod;
  metadata: Record<string, string>;
}

export interface LedgerSnapshot {
  payment_intents: PaymentIntent[];
  refunds: Refund[];
  /** Per currency, in minor units. */
  totals: Record<string, { authorized: number; captured: number; refunded: number }>;
}

const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** The simulator's books: every payment intent (declined ones too) and every refund, in memory. */
export class Ledger {
  private readonly intents = new Map<string, PaymentIntent>();
  private readonly refunds: Refund[] = [];

  createPaymentIntent(input: NewPaymentIntent, idempotencyKey: string, decline: Decline | null): PaymentIntent {
    const now = new Date().toISOString();
    const status: PaymentIntentStatus = decline ? 'declined' : input.capture_method === 'automatic' ? 'captured' : 'authorized';
    const intent: PaymentIntent = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: input.amount,
      currency: input.currency,
      capture_method: input.capture_method,
      status,
      amount_capturable: status === 'authorized' ? input.amount : 0,
      amount_captured: status === 'captured' ? input.amount : 0,
      amount_refunded: 0,
      payment_method: input.token,
      metadata: input.metadata,
      idempotency_key: idempotencyKey,
      last_payment_error: decline ? { code: 'card_declined', ...decline } : null,
      created_at: now,
      updated_at: now,
      history: [{ status, at: now }],
    };
    this.intents.set(intent.id, intent);
    return structuredClone(intent);
  }

  /** Captures `amount` (default: all) of an authorization; the rest is released, as Stripe does. */
  capture(id: string, amount?: number): PaymentIntent {
    const intent = this.mustFind(id);
    if (intent.status !== 'authorized') throw unexpectedState(intent, 'capture');
    const captured = amount ?? intent.amount_capturable;
    if (captured > intent.amount_capturable) {
      throw invalidRequest('amount_too_large', `Amount to capture (${captured}) exceeds the capturable amount (${intent.amount_capturable})`, 'amount');
    }
    intent.amount_captured = captured;
    intent.amount_capturable = 0;
    this.moveTo(intent, 'captured');
    return structuredClone(intent);
  }

  cancel(id: string): PaymentIntent {
    const intent = this.mustFind(id);
    if (intent.status !== 'authorized') throw unexpectedState(intent, 'cancel');
    intent.amount_capturable = 0;
    this.moveTo(intent, 'canceled');
    return structuredClone(intent);
  }

  /** Refunds `amount` (default: what is left) of a captured intent; never more than captured. */
  refund(paymentIntentId: string, amount: number | undefined, idempotencyKey: string): { refund: Refund; paymentIntent: PaymentIntent } {
    const intent = this.mustFind(paymentIntentId);
    if (intent.status === 'refunded') throw invalidRequest('charge_already_refunded', `PaymentIntent ${intent.id} has already been refunded`, 'payment_intent');
    if (intent.status !== 'captured' && intent.status !== 'partially_refunded') throw unexpectedState(intent, 'refund');
    const refundable = intent.amount_captured - intent.amount_refunded;
    const refunded = amount ?? refundable;
    if (refunded > refundable) {
      throw invalidRequest('amount_too_large', `Refund amount (${refunded}) is greater than unrefunded amount on charge (${refundable})`, 'amount');
    }
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      payment_intent: intent.id,
      amount: refunded,
      currency: intent.currency,
      status: 'succeeded',
      idempotency_key: idempotencyKey,
      created_at: new Date().toISOString(),
    };
    this.refunds.push(refund);
    intent.amount_refunded += refunded;
    this.moveTo(intent, intent.amount_refunded === intent.amount_captured ? 'refunded' : 'partially_refunded');
    return { refund: structuredClone(refund), paymentIntent: structuredClone(intent) };
  }

  get(id: string): PaymentIntent {
    return structuredClone(this.mustFind(id));
  }

  findByIdempotencyKey(key: string): PaymentIntent | undefined {
    for (const intent of this.intents.values()) if (intent.idempotency_key === key) return structuredClone(intent);
    return undefined;
  }

  snapshot(): LedgerSnapshot {
    const payment_intents = structuredClone([...this.intents.values()]);
    const totals: LedgerSnapshot['totals'] = {};
    for (const intent of payment_intents) {
      const total = (totals[intent.currency] ??= { authorized: 0, captured: 0, refunded: 0 });
      total.authorized += intent.amount_capturable;
      total.captured += intent.amount_captured;
      total.refunded += intent.amount_refunded;
    }
    return { payment_intents, refunds: structuredClone(this.refunds), totals };
  }

  clear(): void {
    this.intents.clear();
    this.refunds.length = 0;
  }

  private mustFind(id: string): PaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) throw notFound('payment_intent', id);
    return intent;
  }

  private moveTo(intent: PaymentIntent, status: PaymentIntentStatus): void {
    const now = new Date().toISOString();
    intent.status = status;
    intent.updated_at = now;
    intent.history.push({ status, at: now });
  }
}

function unexpectedState(intent: PaymentIntent, action: string) {
  return invalidRequest('payment_intent_unexpected_state', `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}`);
}
