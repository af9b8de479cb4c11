import { Injectable, Logger } from '@nestjs/common';
import { GatewayDeclinedError, GatewayKeyConflictError } from '../gateway/payment-gateway.js';
import { GatewayOutcomeUnknownError, GatewayUnavailableError, ResilientGateway } from '../gateway/resilient.gateway.js';
import type { PaymentAttempt } from '../payment-attempt.entity.js';
import { declined, fromCharge, notCharged, refunded } from '../payment-state.js';
import { PaymentsRepository } from '../payments.repository.js';

export interface ReconcileReport {
  settled: number;
  stillUnknown: number;
}

/**
 * Settles attempts whose outcome is unknown (a timeout, a lost answer, a process that died mid-call):
 * an authorization is looked up by its key; a capture, void or refund is sent again with the same key,
 * which the provider executes at most once.
 */
@Injectable()
export class PaymentsReconciler {
  private readonly logger = new Logger('PaymentsReconciler');

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly gateway: ResilientGateway,
  ) {}

  /** `olderThanMs` keeps it off attempts a live request is still making. */
  async run(olderThanMs: number, limit = 200): Promise<ReconcileReport> {
    const report: ReconcileReport = { settled: 0, stillUnknown: 0 };
    for (const attempt of await this.payments.unsettledAttempts(olderThanMs, limit)) {
      try {
        await this.settle(attempt);
        report.settled++;
      } catch (error) {
        report.stillUnknown++;
        if (error instanceof GatewayOutcomeUnknownError || error instanceof GatewayUnavailableError || error instanceof GatewayKeyConflictError) {
          await this.payments.settle(attempt.id, { state: 'unknown', error: error.message }, () => null, attempt.updatedAt);
        } else {
          this.logger.error({ err: error, attemptId: attempt.id }, 'reconciliation failed');
        }
      }
    }
    if (report.settled || report.stillUnknown) this.logger.log(report, 'payment attempts reconciled');
    return report;
  }

  /**
   * Every settle is conditional on the attempt being as listed: a client's retry that claimed it in
   * the meantime is sending it again, so "no charge for this key" may no longer be true.
   */
  private async settle(attempt: PaymentAttempt): Promise<void> {
    const payment = await this.payments.findPayment(attempt.paymentId);
    if (!payment) return;
    const key = attempt.providerKey;
    const seen = attempt.updatedAt;
    if (attempt.kind === 'authorize') {
      const charge = await this.gateway.call((g, signal) => g.lookupByKey(key, attempt.createdAt, signal));
      if (!charge) {
        await this.payments.settle(attempt.id, { state: 'failed', error: 'provider has no charge for this key' }, () => notCharged(), seen);
        return;
      }
      const state = charge.status === 'declined' ? 'declined' : 'succeeded';
      await this.payments.settle(attempt.id, { state, providerRef: charge.ref }, (p) => (state === 'declined' ? declined(charge.ref) : fromCharge(p, charge)), seen);
      return;
    }
    try {
      if (attempt.kind === 'refund') {
        await this.gateway.call((g, signal) => g.refund(key, payment.providerRef!, attempt.amount, signal));
        await this.payments.settle(attempt.id, { state: 'succeeded' }, (p) => refunded(p, attempt.amount), seen);
      } else if (attempt.kind === 'void_stray' || attempt.kind === 'refund_stray') {
        // A charge that is not the payment's (see PaymentsRepository.releaseStray): released, the payment untouched.
        const ref = attempt.providerRef!;
        if (attempt.kind === 'void_stray') await this.gateway.call((g, signal) => g.void(key, ref, signal));
        else await this.gateway.call((g, signal) => g.refund(key, ref, attempt.amount, signal));
        await this.payments.settle(attempt.id, { state: 'succeeded' }, () => null, seen);
        this.logger.warn({ paymentId: payment.id, ref, kind: attempt.kind, amount: attempt.amount }, 'stray charge released at the provider');
      } else {
        const kind = attempt.kind;
        const charge = await this.gateway.call((g, signal) => g[kind](key, payment.providerRef!, signal));
        await this.payments.settle(attempt.id, { state: 'succeeded' }, (p) => fromCharge(p, charge), seen);
      }
    } catch (error) {
      if (error instanceof GatewayOutcomeUnknownError || error instanceof GatewayUnavailableError || error instanceof GatewayDeclinedError || error instanceof GatewayKeyConflictError) throw error;
      await this.payments.settle(attempt.id, { state: 'failed', error: (error as Error).message.slice(0, 1000) }, () => null, seen);
    }
  }
}
