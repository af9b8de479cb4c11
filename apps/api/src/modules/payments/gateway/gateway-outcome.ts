import { PaymentOutcomeUnknownError, PaymentRejectedByProviderError, PaymentsUnavailableError } from '../payments.errors.js';
import { GatewayDeclinedError, GatewayKeyConflictError, GatewayRejectedError } from './payment-gateway.js';
import { GatewayOutcomeUnknownError, GatewayUnavailableError } from './resilient.gateway.js';

/** How a failed provider call settles its attempt, and what the caller is told. */
export interface FailedCall {
  attempt: 'declined' | 'failed' | 'unknown';
  /** True when the provider surely did not charge (the payment may fail). */
  notCharged: boolean;
  declineCode?: string;
  ref?: string | null;
  error: string;
  /** For the caller, unless the use case throws its own (a decline). */
  toThrow: (paymentId: string) => Error;
}

export function classify(error: unknown): FailedCall | null {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof GatewayDeclinedError) {
    return { attempt: 'declined', notCharged: true, declineCode: error.declineCode, ref: error.ref, error: error.declineCode, toThrow: () => error };
  }
  if (error instanceof GatewayUnavailableError) {
    return { attempt: 'failed', notCharged: false, error: message, toThrow: () => new PaymentsUnavailableError(error.retryAfterSeconds) };
  }
  if (error instanceof GatewayOutcomeUnknownError || error instanceof GatewayKeyConflictError) {
    return { attempt: 'unknown', notCharged: false, error: message, toThrow: (id) => new PaymentOutcomeUnknownError(id) };
  }
  if (error instanceof GatewayRejectedError) {
    return { attempt: 'failed', notCharged: true, error: message, toThrow: () => new PaymentRejectedByProviderError(message) };
  }
  return null;
}
