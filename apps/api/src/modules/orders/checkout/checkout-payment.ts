import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, PAYMENTS_API, type PaymentsApi } from '#contracts';
import { DomainError } from '#platform';
import { OrderExpiry } from '../jobs/order-expiry.js';
import type { Order } from '../order.entity.js';
import { OrderSettlement } from '../order-settlement.js';
import { isPaidStatus } from '../order-status.js';
import { CheckoutPaymentDeclinedError } from '../orders.errors.js';
import { PaymentsInFlight } from './payments-in-flight.js';

/** 201: paid. 202: the provider holds the payment pending (no outcome yet); the order stays pending_payment until its events settle it. */
export interface PaymentOutcome {
  status: 201 | 202;
  order: Order;
}

/** Checkout's last step: authorize the order's total and settle the order as the answer says. */
@Injectable()
export class CheckoutPayment {
  constructor(
    @Inject(PAYMENTS_API) private readonly payments: PaymentsApi,
    private readonly settlement: OrderSettlement,
    private readonly expiry: OrderExpiry,
    private readonly inFlight: PaymentsInFlight,
  ) {}

  /** A paid order a failure left unsettled (stock not yet sold, cart open) is finished by the retry. */
  async finish(ctx: CallContext, order: Order): Promise<Order> {
    if (order.settledAt || !isPaidStatus(order.status)) return order;
    return this.settlement.paid(ctx, order, 'checkout_resumed');
  }

  /** The same payment key on every retry of one order, so a resumed checkout never charges twice. */
  pay(ctx: CallContext, order: Order, token: string): Promise<PaymentOutcome> {
    return this.inFlight.around(order.id, () => this.authorize(ctx, order, token));
  }

  private async authorize(ctx: CallContext, order: Order, token: string): Promise<PaymentOutcome> {
    let state: string;
    try {
      const input = { orderId: order.id, amount: order.total, currency: order.currency, token, idempotencyKey: `order:${order.id}` };
      state = (await this.payments.authorize(ctx, input)).state;
    } catch (error) {
      const code = error instanceof DomainError ? error.code : undefined;
      if (code === 'PAYMENTS.DECLINED') {
        await this.settlement.cancelled(ctx, order, 'payment_declined');
        throw new CheckoutPaymentDeclinedError(order.id, String((error as DomainError).extensions.declineCode ?? 'declined'));
      }
      // Unavailable or unknown (both 503 with Retry-After), or anything else: the order keeps its
      // reservation until expiry asks again, and the key stays resumable, so the client's retry
      // asks the provider again with the same payment key and finishes this order.
      await this.expiry.scheduleFor(order);
      throw error;
    }
    if (state === 'authorized' || state === 'captured') return { status: 201, order: await this.settlement.paid(ctx, order, 'payment_authorized') };
    await this.expiry.scheduleFor(order);
    return { status: 202, order };
  }
}
