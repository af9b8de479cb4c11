import Stripe from 'stripe';
import {
  type AuthorizeRequest,
  type Charge,
  type ChargeStatus,
  GatewayDeclinedError,
  GatewayKeyConflictError,
  GatewayRejectedError,
  GatewayTransientError,
  type PaymentGateway,
  type RefundResult,
} from './payment-gateway.js';

/** Our attempt's key, also in the PaymentIntent's metadata: how reconciliation and webhooks find the attempt. */
export const ATTEMPT_KEY_METADATA = 'ficus_attempt_key';

/** How far before and after an attempt was saved its PaymentIntent may have been created (clock skew, retries). */
const LOOKUP_BEFORE_S = 5 * 60;
const LOOKUP_AFTER_S = 30 * 60;

export interface StripeGatewayOptions {
  secretKey: string;
  timeoutMs: number;
  /** Where the API is; tests point it at a local server. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
}

const refundStatus = (captured: number, refunded: number): ChargeStatus =>
  refunded === 0 ? 'captured' : refunded >= captured ? 'refunded' : 'partially_refunded';

/** A PaymentIntent in our words; `latest_charge` expanded tells what was captured and refunded. */
export function chargeOf(intent: Stripe.PaymentIntent): Charge {
  const latest = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const captured = latest?.amount_captured ?? (intent.status === 'succeeded' ? intent.amount_received : 0);
  const refunded = latest?.amount_refunded ?? 0;
  const base = { ref: intent.id, amountCaptured: intent.status === 'succeeded' ? captured : 0, amountRefunded: refunded };
  switch (intent.status) {
    case 'requires_capture':
      return { ...base, status: 'authorized' };
    case 'succeeded':
      return { ...base, status: refundStatus(captured, refunded) };
    case 'canceled':
      return { ...base, status: 'voided' };
    case 'requires_payment_method':
    case 'requires_action':
    case 'requires_confirmation':
      // Not paid, and nothing we can finish server-side (3-D Secure needs the customer).
      return { ...base, status: 'declined' };
    default:
      throw new GatewayTransientError(`payment intent ${intent.id} is ${intent.status}`);
  }
}

/** Stripe's errors in our words: declines never count for the breaker, outages are transient, key misuse is a conflict. */
export function fromStripeError(error: unknown): unknown {
  const { errors } = Stripe;
  if (error instanceof errors.StripeCardError) return new GatewayDeclinedError(error.decline_code ?? error.code ?? 'card_declined', error.payment_intent?.id ?? null);
  if (error instanceof errors.StripeIdempotencyError) return new GatewayKeyConflictError(`stripe idempotency_error: ${error.message}`);
  if (error instanceof errors.StripeConnectionError || error instanceof errors.StripeAPIError || error instanceof errors.StripeRateLimitError) {
    return new GatewayTransientError(`stripe ${error.type}: ${error.message}`);
  }
  if (error instanceof errors.StripeError) {
    const status = error.statusCode ?? 0;
    // 409 is a concurrent request on the same key (lock_timeout); 5xx and no status at all may have executed.
    if (status === 0 || status === 409 || status >= 500) return new GatewayTransientError(`stripe ${status} ${error.code ?? error.type}: ${error.message}`);
    return new GatewayRejectedError(status, `stripe ${status} ${error.code ?? error.type}: ${error.message}`);
  }
  return error;
}

/** Stripe PaymentIntents on the official SDK; every write carries our attempt key as Stripe's idempotency key. */
export class StripeGateway implements PaymentGateway {
  readonly provider = 'stripe';
  private readonly stripe: Stripe;

  constructor(options: StripeGatewayOptions) {
    // Our retry policy retries, with the same key; the SDK's own retries would hide tries from the breaker.
    this.stripe = new Stripe(options.secretKey, { maxNetworkRetries: 0, timeout: options.timeoutMs, telemetry: false, ...options.api });
  }

  /** `token` is a PaymentMethod id (`pm_…`, from Stripe.js; in test mode e.g. `pm_card_visa`). */
  authorize(key: string, request: AuthorizeRequest): Promise<Charge> {
    return this.call(async () => {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          payment_method: request.token,
          // No redirect-based methods: a payment that needs the customer away from the shop is refused, not left waiting.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          confirm: true,
          capture_method: request.capture ? 'automatic' : 'manual',
          metadata: { ...request.metadata, [ATTEMPT_KEY_METADATA]: key },
          expand: ['latest_charge'],
        },
        { idempotencyKey: key },
      );
      const charge = chargeOf(intent);
      if (charge.status === 'declined') throw new GatewayDeclinedError(intent.last_payment_error?.decline_code ?? intent.status, intent.id);
      return charge;
    });
  }

  capture(key: string, ref: string): Promise<Charge> {
    return this.call(async () => chargeOf(await this.stripe.paymentIntents.capture(ref, { expand: ['latest_charge'] }, { idempotencyKey: key })));
  }

  void(key: string, ref: string): Promise<Charge> {
    return this.call(async () => chargeOf(await this.stripe.paymentIntents.cancel(ref, { expand: ['latest_charge'] }, { idempotencyKey: key })));
  }

  refund(key: string, ref: string, amount: number): Promise<RefundResult> {
    return this.call(async () => {
      const refund = await this.stripe.refunds.create({ payment_intent: ref, amount, metadata: { [ATTEMPT_KEY_METADATA]: key } }, { idempotencyKey: key });
      if (refund.status === 'failed' || refund.status === 'canceled') throw new GatewayRejectedError(402, `stripe refund ${refund.id} ${refund.status}`);
      return { ref: refund.id, amount: refund.amount };
    });
  }

  /**
   * Lists the PaymentIntents created around the attempt (a consistent read; Search lags up to a
   * minute, and a miss there would be taken for "never charged") and finds ours by its metadata.
   */
  lookupByKey(key: string, since: Date): Promise<Charge | null> {
    return this.call(async () => {
      const at = Math.floor(since.getTime() / 1000);
      const list = this.stripe.paymentIntents.list({ created: { gte: at - LOOKUP_BEFORE_S, lte: at + LOOKUP_AFTER_S }, limit: 100, expand: ['data.latest_charge'] });
      for await (const intent of list) if (intent.metadata?.[ATTEMPT_KEY_METADATA] === key) return chargeOf(intent);
      return null;
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw fromStripeError(error);
    }
  }
}
