import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, type OrderStatus, type OrderView, PAYMENTS_API, type PaymentsApi, systemContext } from '#contracts';
import { AttemptLimiter } from '#platform';
import type { Order } from './order.entity.js';
import { normaliseOrderNumber } from './order-number.js';
import { allowedFrom, canMove, PAYMENT_DRIVEN } from './order-status.js';
import { OrderSettlement } from './order-settlement.js';
import { toOrderView } from './order.view.js';
import { InvalidTransitionError, OrderLookupFailedError, OrderNotFoundError } from './orders.errors.js';
import { type OrderFilter, OrdersRepository } from './orders.repository.js';

export interface OrderPage {
  items: OrderView[];
  total: number;
  page: number;
  pageSize: number;
}

const LOOKUP_LIMIT = { what: 'order lookups from this address', limit: 20, windowMs: 10 * 60_000 };

const isAdmin = (ctx: CallContext) => ctx.roles.includes('admin') || ctx.roles.includes('system');
const actorOf = (ctx: CallContext) => ctx.userId ?? 'system';
/** What an admin may ask for: payments alone make an order paid or refunded. */
const adminAllowed = (status: OrderStatus) => allowedFrom(status).filter((s) => !PAYMENT_DRIVEN.includes(s));

/** Reading orders (own, guest lookup, admin) and an admin's transitions, cancellations and notes. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly settlement: OrderSettlement,
    @Inject(PAYMENTS_API) private readonly payments: PaymentsApi,
    private readonly limiter: AttemptLimiter,
  ) {}

  /** Own orders only (admins see all); another customer's order is not found, not forbidden. */
  async get(ctx: CallContext, id: string): Promise<OrderView> {
    const order = await this.orders.find(id);
    if (!order || (!isAdmin(ctx) && (!ctx.userId || order.customerId !== ctx.userId))) throw new OrderNotFoundError(id);
    return toOrderView(await this.orders.withLines(order));
  }

  listMine(ctx: CallContext, page: { page: number; pageSize: number }): Promise<OrderPage> {
    return this.list({ ...page, customerId: ctx.userId ?? randomUUID() });
  }

  /** A guest's way back to an order: the number and the email it was placed with, both or nothing. */
  async lookup(ctx: CallContext, input: { number: string; email: string }): Promise<OrderView> {
    await this.limiter.hit(`orders-lookup:${ctx.clientIp ?? 'unknown'}`, LOOKUP_LIMIT);
    const number = normaliseOrderNumber(input.number);
    const order = number ? await this.orders.findByNumber(number) : null;
    if (!order || order.email !== input.email.trim().toLowerCase()) throw new OrderLookupFailedError();
    return toOrderView(await this.orders.withLines(order));
  }

  async list(filter: OrderFilter): Promise<OrderPage> {
    const { items, total } = await this.orders.search(filter);
    return { items: items.map(toOrderView), total, page: filter.page, pageSize: filter.pageSize };
  }

  async adminView(ctx: CallContext, id: string) {
    const order = await this.found(id);
    const [withLines, transitions, notes] = await Promise.all([this.orders.withLines(order), this.orders.transitionsOf(id), this.orders.notesOf(id)]);
    return {
      ...toOrderView(withLines),
      needsAttention: order.needsAttention,
      transitions: transitions.map((t) => ({ from: t.fromStatus, to: t.toStatus, by: t.actor, reason: t.reason, at: new Date(t.at).toISOString() })),
      notes: notes.map((n) => ({ id: n.id, author: n.author, text: n.text, at: new Date(n.at).toISOString() })),
    };
  }

  async transition(ctx: CallContext, id: string, to: OrderStatus, reason: string | null): Promise<OrderView> {
    if (to === 'cancelled') return this.cancel(ctx, id, reason);
    for (;;) {
      const order = await this.found(id);
      const allowed = adminAllowed(order.status);
      if (!allowed.includes(to)) throw new InvalidTransitionError(order.status, to, allowed);
      const moved = await this.orders.transition(id, order.status, to, actorOf(ctx), reason);
      // null: another change won the race; read again and judge the request against the new status.
      if (moved) return toOrderView(await this.orders.withLines(moved));
    }
  }

  /** From pending_payment or paid; a paid order's payment is voided or refunded. Repeating it finishes what a failure left undone. */
  async cancel(ctx: CallContext, id: string, reason: string | null): Promise<OrderView> {
    const why = reason ?? 'cancelled_by_admin';
    let order = await this.found(id);
    while (order.status !== 'cancelled' || order.settledAt) {
      if (!canMove(order.status, 'cancelled')) throw new InvalidTransitionError(order.status, 'cancelled', adminAllowed(order.status));
      order = (await this.orders.transition(id, order.status, 'cancelled', actorOf(ctx), why)) ?? (await this.found(id));
      if (order.status === 'cancelled') break;
    }
    await this.giveMoneyBack(ctx, order);
    return toOrderView(await this.orders.withLines(await this.settlement.cancelled(ctx, order, why, actorOf(ctx))));
  }

  async addNote(ctx: CallContext, id: string, text: string) {
    await this.found(id);
    const note = await this.orders.addNote({ id: randomUUID(), orderId: id, author: actorOf(ctx), text });
    return { id: note.id, author: note.author, text: note.text, at: new Date(note.at).toISOString() };
  }

  /** Keys derived from the order, under the system's scope: a repeated cancel, by any admin, refunds once. */
  private async giveMoneyBack(ctx: CallContext, order: Order): Promise<void> {
    const system = systemContext(ctx.requestId);
    for (const payment of await this.payments.listForOrder(system, { orderId: order.id })) {
      if (payment.state === 'authorized') await this.payments.void(system, { paymentId: payment.id });
      else if (payment.captured > payment.refunded) await this.payments.refund(system, { paymentId: payment.id, idempotencyKey: `order-cancel:${order.id}:${payment.id}` });
    }
  }

  private async found(id: string): Promise<Order> {
    const order = await this.orders.find(id);
    if (!order) throw new OrderNotFoundError(id);
    return order;
  }
}
