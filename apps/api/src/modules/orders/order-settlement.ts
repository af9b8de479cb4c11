import { Inject, Injectable, Logger } from '@nestjs/common';
import { CART_API, type CallContext, type CartApi, INVENTORY_API, type InventoryApi, PRICING_API, type PricingApi } from '#contracts';
import { DomainError, MetricsRegistry } from '#platform';
import { Counter } from 'prom-client';
import type { Order } from './order.entity.js';
import { isPaidStatus } from './order-status.js';
import { OrdersRepository } from './orders.repository.js';

export const SYSTEM_ACTOR = 'system';

const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : undefined);

/**
 * What a payment's outcome does to an order, shared by checkout's synchronous answer, the payment
 * event listeners and the expiry job: the status moves by compare-and-set (so of racing callers one
 * moves it), then the side effects run; they are idempotent, so a caller that lost the race, a
 * redelivered event or a retry after a crash repeats them harmlessly until `settled_at` says done.
 */
@Injectable()
export class OrderSettlement {
  private readonly logger = new Logger('OrderSettlement');
  private readonly attention: Counter;

  constructor(
    private readonly orders: OrdersRepository,
    @Inject(INVENTORY_API) private readonly inventory: InventoryApi,
    @Inject(CART_API) private readonly cart: CartApi,
    @Inject(PRICING_API) private readonly pricing: PricingApi,
    metrics: MetricsRegistry,
  ) {
    this.attention = new Counter({
      name: 'orders_needs_attention_total',
      help: 'Orders flagged needs_attention: paid after their reservation ended with the stock gone, paid while cancelled, or a second paid order of one cart',
      registers: [metrics.registry],
    });
  }

  /** The payment succeeded: paid, stock sold, cart converted. */
  async paid(ctx: CallContext, order: Order, reason: string): Promise<Order> {
    const current = await this.move(order, 'paid', reason);
    if (current.status === 'cancelled') {
      // A cancelled paid order's old payment event is no news; a payment for an order that never got paid is.
      const wasPaid = (await this.orders.transitionsOf(current.id)).some((t) => t.toStatus === 'paid');
      if (!wasPaid) await this.flag(current, 'a payment succeeded for a cancelled order: refund it');
      return current;
    }
    if (!isPaidStatus(current.status) || current.settledAt) return current;
    // Independent of each other: side by side, for checkout's latency.
    const [stock] = await Promise.all([this.commitStock(ctx, current), this.convertCart(ctx, current)]);
    await this.orders.markSettled(current.id, current.status, stock);
    return { ...current, ...stock, settledAt: new Date(), needsAttention: current.needsAttention || Boolean(stock.needsAttention) };
  }

  /** The order will not be paid, or its payment is given back (declined, timed out, cancelled): stock and promotions go back; the cart stays open. */
  async cancelled(ctx: CallContext, order: Order, reason: string, actor = SYSTEM_ACTOR): Promise<Order> {
    const current = order.status === 'pending_payment' ? await this.move(order, 'cancelled', reason, actor) : order;
    if (current.status !== 'cancelled' || current.settledAt) return current;
    await Promise.all([this.releaseStock(ctx, current, reason), current.promotionIds.length ? this.pricing.releaseRedemptions(ctx, current.id) : undefined]);
    await this.orders.markSettled(current.id, 'cancelled');
    return { ...current, settledAt: new Date() };
  }

  /** Held stock is released; sold stock (a paid order cancelled before shipping) goes back on hand. Both are no-ops when repeated. */
  private async releaseStock(ctx: CallContext, order: Order, reason: string): Promise<void> {
    if (!order.reservationId) return;
    try {
      await this.inventory.release(ctx, order.reservationId, reason);
    } catch (error) {
      if (codeOf(error) !== 'INVENTORY.RESERVATION_SETTLED') throw error;
      await this.inventory.restock(ctx, order.reservationId, reason);
    }
  }

  /** Moves from pending_payment if still there; otherwise the order as it now is (another caller moved it). */
  private async move(order: Order, to: 'paid' | 'cancelled', reason: string, actor = SYSTEM_ACTOR): Promise<Order> {
    if (order.status !== 'pending_payment') return order;
    return (await this.orders.transition(order.id, 'pending_payment', to, actor, reason)) ?? (await this.orders.find(order.id))!;
  }

  /**
   * Sells the reserved units. A reservation that ended first (expired while the payment was unknown)
   * is taken again; if the stock is gone, the order stays paid and is flagged for a person.
   */
  private async commitStock(ctx: CallContext, order: Order): Promise<{ reservationId?: string; needsAttention?: boolean }> {
    if (order.reservationId) {
      try {
        await this.inventory.commit(ctx, order.reservationId);
        return {};
      } catch (error) {
        if (!['INVENTORY.RESERVATION_SETTLED', 'INVENTORY.RESERVATION_NOT_FOUND'].includes(codeOf(error) ?? '')) throw error;
      }
    }
    // An admin may have cancelled the order (and released its stock) while this payment settled.
    if (await this.cancelledMeanwhile(order.id)) return {};
    const { lines } = await this.orders.withLines(order);
    try {
      const again = await this.inventory.reserve(ctx, { reference: order.id, lines: lines.map(({ sku, quantity }) => ({ sku, quantity })) });
      await this.inventory.commit(ctx, again.id);
      if (await this.cancelledMeanwhile(order.id)) {
        await this.inventory.restock(ctx, again.id, 'order_cancelled');
        return {};
      }
      return { reservationId: again.id };
    } catch (error) {
      if (codeOf(error) !== 'INVENTORY.OUT_OF_STOCK') throw error;
      await this.flag(order, 'paid after its reservation ended and the stock is gone');
      return { needsAttention: true };
    }
  }

  private async cancelledMeanwhile(orderId: string): Promise<boolean> {
    return (await this.orders.find(orderId))?.status === 'cancelled';
  }

  /** A cart already converted by another paid order means the shopper paid twice: a person refunds one. */
  private async convertCart(ctx: CallContext, order: Order): Promise<void> {
    try {
      await this.cart.markConverted(ctx, { cartId: order.cartId, orderId: order.id });
    } catch (error) {
      if (codeOf(error) !== 'CART.NOT_OPEN') throw error;
      await this.flag(order, 'paid, but its cart was already converted by another order');
    }
  }

  private async flag(order: Order, why: string): Promise<void> {
    this.attention.inc();
    await this.orders.flagAttention(order.id);
    this.logger.error({ orderId: order.id, number: order.number }, `order needs attention: ${why}`);
  }
}
