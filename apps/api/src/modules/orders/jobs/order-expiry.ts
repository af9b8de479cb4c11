import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, PAYMENTS_API, type PaymentsApi, type PaymentState } from '#contracts';
import { AppConfig } from '#platform';
import type { Order } from '../order.entity.js';
import { OrderSettlement } from '../order-settlement.js';
import { OrdersRepository } from '../orders.repository.js';
import { EXPIRY_GRACE_MS, RECHECK_AFTER_MS } from './order-expiry.queue.js';
import { OrderExpiryScheduler } from './order-expiry.scheduler.js';

const SUCCEEDED: PaymentState[] = ['authorized', 'captured', 'partially_refunded', 'refunded'];
const SWEEP_BATCH = 100;
/** Long enough that a checkout still settling its order is not joined by the sweep. */
const UNSETTLED_AFTER_MS = 60_000;

export type CheckOutcome = 'settled' | 'paid' | 'recheck' | 'cancelled' | 'not_due';

/**
 * A pending_payment order that outlived its reservation asks payments what happened: paid -> settled
 * as paid; still pending (unknown) -> asked again later; nothing charged -> cancelled (payment_timeout).
 */
@Injectable()
export class OrderExpiry {
  private readonly dueAfterMs: number;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly settlement: OrderSettlement,
    @Inject(PAYMENTS_API) private readonly payments: PaymentsApi,
    private readonly scheduler: OrderExpiryScheduler,
    config: AppConfig,
  ) {
    this.dueAfterMs = config.get('INVENTORY_RESERVATION_TTL_MS') + EXPIRY_GRACE_MS;
  }

  /** When checkout could not settle the payment: check once the reservation has run out (with the orders placed in the same second). */
  scheduleFor(order: Pick<Order, 'id' | 'placedAt'>): Promise<void> {
    return this.scheduler.checkPlacedWindow(order.id, new Date(order.placedAt), this.dueAfterMs);
  }

  /** The window job's work: checks every order placed in [from, to) still pending; returns how many. */
  async checkPlaced(ctx: CallContext, from: Date, to: Date): Promise<number> {
    let checked = 0;
    for (let after: string | null = null; ; ) {
      const ids = await this.orders.pendingPlacedBetween(from, to, after, SWEEP_BATCH);
      for (const id of ids) await this.check(ctx, id);
      checked += ids.length;
      if (ids.length < SWEEP_BATCH) return checked;
      after = ids.at(-1)!;
    }
  }

  async check(ctx: CallContext, orderId: string, recheckLater = true): Promise<CheckOutcome> {
    const order = await this.orders.find(orderId);
    if (!order || order.status !== 'pending_payment') return 'settled';
    if (Date.now() - new Date(order.placedAt).getTime() < this.dueAfterMs) return 'not_due';
    const states = (await this.payments.listForOrder(ctx, { orderId })).map((p) => p.state);
    if (states.some((s) => SUCCEEDED.includes(s))) {
      await this.settlement.paid(ctx, order, 'payment_reconciled');
      return 'paid';
    }
    if (states.includes('pending')) {
      if (recheckLater) await this.scheduler.checkLater(orderId, RECHECK_AFTER_MS);
      return 'recheck';
    }
    await this.settlement.cancelled(ctx, order, 'payment_timeout');
    return 'cancelled';
  }

  /**
   * Checks every due pending order a delayed job missed (a crash between order and payment), and
   * finishes paid or cancelled orders whose side effects a crash or a failed call left undone;
   * returns how many orders it looked at.
   */
  async sweep(ctx: CallContext): Promise<number> {
    const due = await this.orders.stalePending(this.dueAfterMs, SWEEP_BATCH);
    // The sweep comes round again, so an unknown payment needs no job of its own from here.
    for (const id of due) await this.check(ctx, id, false);
    const unsettled = await this.orders.unsettled(UNSETTLED_AFTER_MS, SWEEP_BATCH);
    for (const order of unsettled) {
      if (order.status === 'paid') await this.settlement.paid(ctx, order, 'settle_resumed');
      else await this.settlement.cancelled(ctx, order, 'settle_resumed');
    }
    return due.length + unsettled.length;
  }
}
