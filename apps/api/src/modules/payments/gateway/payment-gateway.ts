/** What a provider says about a charge, in our words. */
export type ChargeStatus = 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'voided' | 'declined';

export interface Charge {
  ref: string;
  status: ChargeStatus;
  amountCaptured: number;
  amountRefunded: number;
}

export interface AuthorizeRequest {
  amount: number;
  currency: string;
  token: string;
  capture: boolean;
  metadata: Record<string, string>;
}

export interface RefundResult {
  ref: string;
  amount: number;
}

/**
 * A card processor. Every write carries our provider key, which the provider deduplicates on, so
 * the same call may be repeated safely. Declines throw GatewayDeclinedError; anything that may or may
 * not have reached the provider throws GatewayTransientError.
 */
export interface PaymentGateway {
  readonly provider: string;
  authorize(key: string, request: AuthorizeRequest, signal?: AbortSignal): Promise<Charge>;
  capture(key: string, ref: string, signal?: AbortSignal): Promise<Charge>;
  void(key: string, ref: string, signal?: AbortSignal): Promise<Charge>;
  refund(key: string, ref: string, amount: number, signal?: AbortSignal): Promise<RefundResult>;
  /**
   * The charge created with this key, or null when the provider never executed it. `since`: when the
   * attempt was saved, before the call (a provider that cannot search by key looks around it).
   */
  lookupByKey(key: string, since: Date, signal?: AbortSignal): Promise<Charge | null>;
}

export const PAYMENT_GATEWAY = Symbol('PAYMENT_GATEWAY');

export class GatewayDeclinedError extends Error {
  constructor(
    readonly declineCode: string,
    readonly ref: string | null,
  ) {
    super(`card declined (${declineCode})`);
    this.name = 'GatewayDeclinedError';
  }
}

/** 5xx, 409 (the key is still in use), network errors: the call may or may not have executed. */
export class GatewayTransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayTransientError';
  }
}

/** The provider refused the request as such (4xx other than a decline): retrying cannot help. */
export class GatewayRejectedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayRejectedError';
  }
}

/**
 * The provider refused the key itself (Stripe's idempotency_error: used before with other parameters,
 * or in use): what the key did is unknown, so it is settled by lookup, never as "not charged".
 */
export class GatewayKeyConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayKeyConflictError';
  }
}
