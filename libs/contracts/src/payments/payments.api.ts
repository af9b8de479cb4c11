import type { CallContext } from '../call-context.js';

export type PaymentState = 'pending' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'voided' | 'failed';
export type CaptureMode = 'immediate' | 'on_fulfilment';

export interface PaymentView {
  id: string;
  orderId: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  captured: number;
  refunded: number;
  state: PaymentState;
  captureMode: CaptureMode;
  createdAt: string;
  updatedAt: string;
}

export interface AuthorizeInput {
  orderId: string;
  amount: number;
  currency: string;
  /** The card token from the provider's client-side library (`tok_ok` on the simulator). */
  token: string;
  /** The caller's key for this business attempt: the same key never charges twice. */
  idempotencyKey: string;
}

export interface RefundInput {
  paymentId: string;
  /** Default: everything captured and not yet refunded. */
  amount?: number;
  idempotencyKey: string;
}

export interface RefundView {
  id: string;
  paymentId: string;
  amount: number;
  state: 'pending' | 'succeeded' | 'failed' | 'unknown';
  createdAt: string;
}

/**
 * Payments for other contexts (checkout, orders). A declined card throws PAYMENTS.DECLINED
 * (unprocessable); an open breaker or an unknown provider outcome throws a retryable
 * PAYMENTS.UNAVAILABLE / PAYMENTS.OUTCOME_UNKNOWN: retry with the same idempotencyKey.
 */
export interface PaymentsApi {
  authorize(ctx: CallContext, input: AuthorizeInput): Promise<PaymentView>;
  capture(ctx: CallContext, input: { paymentId: string }): Promise<PaymentView>;
  void(ctx: CallContext, input: { paymentId: string }): Promise<PaymentView>;
  refund(ctx: CallContext, input: RefundInput): Promise<RefundView>;
  listForOrder(ctx: CallContext, input: { orderId: string }): Promise<PaymentView[]>;
}

export const PaymentsPatterns = {
  authorize: 'payments.authorize',
  capture: 'payments.capture',
  void: 'payments.void',
  refund: 'payments.refund',
  listForOrder: 'payments.list-for-order',
} satisfies Record<keyof PaymentsApi, string>;

export const PAYMENTS_API = Symbol('PAYMENTS_API');
