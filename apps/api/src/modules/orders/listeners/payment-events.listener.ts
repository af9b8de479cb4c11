import { Injectable } from '@nestjs/common';
import { type PaymentEvent, systemContext } from '#contracts';
import { type DeliveredEvent, OnDomainEvent } from '#platform';
import { PaymentsInFlight } from '../checkout/payments-in-flight.js';
import { canMove } from '../order-status.js';
import { OrderSettlement, SYSTEM_ACTOR } from '../order-settlement.js';
import { OrdersRepository } from '../orders.repository.js';

/**
 * Payment outcomes that reach orders after the fact (webhooks, reconciliation, or checkout's own
 * call seen again) go through the same settle code as checkout's answer; repeats and late arrivals
 * change nothing twice. Payments for ids that are no order are not ours; an order whose checkout is
 * still waiting on this payment in this process is checkout's to settle.
 */
@Injectable()
export class PaymentEventsListener {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly settlement: OrderSettlement,
    private readonly inFlight: PaymentsInFlight,
  ) {}

  // An authorization with an amount already captured came with its payment-captured event (the
  // same transition, immediate capture), which settles the order: one job, not two.
  @OnDomainEvent('payments.payment-authorized', { when: (event) => event.captured === 0 })
  @OnDomainEvent('payments.payment-captured')
  async onSucceeded(event: DeliveredEvent<PaymentEvent>): Promise<void> {
    if (this.inFlight.has(event.orderId)) return;
    const order = await this.orders.find(event.orderId);
    if (order) await this.settlement.paid(systemContext(`event:${event.eventId}`), order, event.name === 'payments.payment-captured' ? 'payment_captured' : 'payment_authorized');
  }

  /** Only a decline ends the order; `not_charged` leaves it to a retry or to expiry. */
  @OnDomainEvent('payments.payment-failed')
  async onFailed(event: DeliveredEvent<PaymentEvent>): Promise<void> {
    if (event.reason !== 'declined' || this.inFlight.has(event.orderId)) return;
    const order = await this.orders.find(event.orderId);
    if (order) await this.settlement.cancelled(systemContext(`event:${event.eventId}`), order, 'payment_declined');
  }

  @OnDomainEvent('payments.payment-refunded')
  async onRefunded(event: DeliveredEvent<PaymentEvent>): Promise<void> {
    const order = await this.orders.find(event.orderId);
    const to = event.refunded >= event.captured ? 'refunded' : 'partially_refunded';
    if (order && order.status !== to && canMove(order.status, to)) {
      await this.orders.transition(order.id, order.status, to, SYSTEM_ACTOR, `payment_refunded:${event.refunded}`);
    }
  }
}
