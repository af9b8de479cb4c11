import { Injectable } from '@nestjs/common';
import type { AuthorizeInput, CallContext, PaymentView, RefundInput, RefundView } from '#contracts';
import { AppConfig } from '#platform';
import { classify } from './gateway/gateway-outcome.js';
import { GatewayDeclinedError } from './gateway/payment-gateway.js';
import { ResilientGateway } from './gateway/resilient.gateway.js';
import { declined, fromCharge, notCharged, refunded } from './payment-state.js';
import { toPaymentView, toRefundView } from './payment.view.js';
import type { Payment } from './payment.entity.js';
import {
  InvalidPaymentStateError,
  PaymentDeclinedError,
  PaymentKeyReusedError,
  PaymentNotFoundError,
  PaymentNotPaidError,
  PaymentsUnavailableError,
  RefundExceedsCapturedError,
} from './payments.errors.js';
import { type Begun, PaymentsRepository } from './payments.repository.js';

/** A caller's key is theirs alone: two callers reusing one key get two payments. */
const scopedKey = (ctx: CallContext, key: string) => `${ctx.userId ?? ctx.cartToken ?? 'system'}:${key}`;

/** Authorize, capture, void and refund: each saves its attempt, calls the provider, then settles. */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly gateway: ResilientGateway,
    private readonly config: AppConfig,
  ) {}

  async authorize(ctx: CallContext, input: AuthorizeInput): Promise<PaymentView> {
    this.refuseWhileOpen();
    const captureMode = this.config.get('PAYMENTS_CAPTURE_MODE');
    const begun = await this.payments.beginAuthorize(
      { orderId: input.orderId, createdBy: ctx.userId, requestKey: scopedKey(ctx, input.idempotencyKey), amount: input.amount, currency: input.currency.toUpperCase(), captureMode },
      this.gateway.gateway.provider,
    );
    if ('reused' in begun) throw new PaymentKeyReusedError(begun.reused.id);
    if (begun.settled) return this.settledAnswer(begun);
    const request = { amount: begun.payment.amount, currency: begun.payment.currency, token: input.token, capture: captureMode === 'immediate', metadata: { paymentId: begun.payment.id, orderId: begun.payment.orderId } };
    try {
      const charge = await this.gateway.call((g, signal) => g.authorize(begun.attempt.providerKey, request, signal));
      return toPaymentView(await this.payments.settleBegun(begun, { state: 'succeeded', providerRef: charge.ref }, (p) => fromCharge(p, charge)));
    } catch (error) {
      throw await this.failed(begun, error);
    }
  }

  async capture(ctx: CallContext, paymentId: string): Promise<PaymentView> {
    return this.action(paymentId, 'capture', 'authorized');
  }

  async void(ctx: CallContext, paymentId: string): Promise<PaymentView> {
    return this.action(paymentId, 'void', 'authorized');
  }

  async refund(ctx: CallContext, input: RefundInput): Promise<RefundView> {
    this.refuseWhileOpen();
    const begun = await this.payments.beginRefund(input.paymentId, scopedKey(ctx, input.idempotencyKey), input.amount, this.gateway.gateway.provider);
    if ('refused' in begun) {
      if (begun.refused === 'not_found') throw new PaymentNotFoundError(input.paymentId);
      if (begun.refused === 'not_paid') throw new PaymentNotPaidError(input.paymentId, begun.state);
      throw new RefundExceedsCapturedError(input.amount ?? 0, begun.refundable);
    }
    if (!begun.settled) {
      const { attempt, payment, refund } = begun;
      try {
        await this.gateway.call((g, signal) => g.refund(attempt.providerKey, payment.providerRef!, refund.amount, signal));
        await this.payments.settle(attempt.id, { state: 'succeeded' }, (p) => refunded(p, refund.amount));
      } catch (error) {
        throw await this.failed(begun, error, false);
      }
    }
    return toRefundView(await this.payments.findRefund(begun.refund.id));
  }

  async listForOrder(ctx: CallContext, orderId: string): Promise<PaymentView[]> {
    const mine = ctx.roles.includes('admin') || ctx.roles.includes('system') ? undefined : (ctx.userId ?? '-');
    return (await this.payments.listByOrder(orderId, mine)).map(toPaymentView);
  }

  private async action(paymentId: string, kind: 'capture' | 'void', from: Payment['state']): Promise<PaymentView> {
    this.refuseWhileOpen();
    const begun = await this.payments.beginAction(paymentId, kind, this.gateway.gateway.provider);
    if (!begun) throw new PaymentNotFoundError(paymentId);
    const { payment, attempt } = begun;
    if (payment.state !== from) throw new InvalidPaymentStateError(paymentId, payment.state, kind);
    try {
      const charge = await this.gateway.call((g, signal) => g[kind](attempt.providerKey, payment.providerRef!, signal));
      return toPaymentView(await this.payments.settleBegun(begun, { state: 'succeeded' }, (p) => fromCharge(p, charge)));
    } catch (error) {
      throw await this.failed(begun, error, false);
    }
  }

  /** Settles the attempt as the failure says and returns what to throw. */
  private async failed(begun: Begun, error: unknown, paymentFailsWithIt = true): Promise<unknown> {
    const failure = classify(error);
    if (!failure) return error;
    await this.payments.settleBegun(begun, { state: failure.attempt, providerRef: failure.ref, error: failure.error.slice(0, 1000) }, () => {
      if (!paymentFailsWithIt || !failure.notCharged) return null;
      return failure.attempt === 'declined' ? declined(failure.ref ?? null) : notCharged();
    });
    if (error instanceof GatewayDeclinedError) return new PaymentDeclinedError(begun.payment.id, error.declineCode);
    return failure.toThrow(begun.payment.id);
  }

  /** A retry of a request whose attempt already settled answers as the first did. */
  private settledAnswer({ payment, attempt }: Begun): PaymentView {
    if (attempt.state === 'declined') throw new PaymentDeclinedError(payment.id, attempt.error ?? 'declined');
    return toPaymentView(payment);
  }

  private refuseWhileOpen(): void {
    const seconds = this.gateway.openForSeconds();
    if (seconds > 0) throw new PaymentsUnavailableError(seconds);
  }
}
