import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { OrderStatus } from '#contracts';
import { EventPublisher, outboxInsertOf, RELAX_COMMIT } from '#platform';
import type { Order, OrderLine, OrderNote, OrderTransition } from './order.entity.js';
import { newOrderNumber } from './order-number.js';

export type NewOrder = Omit<Order, 'number' | 'status' | 'settledAt' | 'needsAttention' | 'placedAt' | 'updatedAt'>;
export type NewOrderLine = Omit<OrderLine, 'orderId'>;
export interface OrderWithLines {
  order: Order;
  lines: OrderLine[];
}
export interface OrderFilter {
  customerId?: string;
  status?: OrderStatus;
  email?: string;
  placedFrom?: Date;
  placedTo?: Date;
  page: number;
  pageSize: number;
}

const ORDER_COLUMNS = `id, number, status, checkout_key AS "checkoutKey", cart_id AS "cartId", customer_id AS "customerId", email, currency,
  tax_included AS "taxIncluded", subtotal, discount, shipping, tax, total, shipping_address AS "shippingAddress",
  billing_address AS "billingAddress", shipping_method AS "shippingMethod", promotion_ids AS "promotionIds",
  reservation_id AS "reservationId", settled_at AS "settledAt", needs_attention AS "needsAttention", placed_at AS "placedAt", updated_at AS "updatedAt"`;

const LINE_COLUMNS = `order_id AS "orderId", position, sku, product_id AS "productId", product_name AS "productName", options, quantity,
  unit_price AS "unitPrice", subtotal, discount, tax, total`;

// One statement for the order, its lines, its first transition and orders.order-placed: checkout's hot path.
// It commits without waiting for its WAL flush (RELAX_COMMIT): the payment attempt saved before the
// provider is called waits for its own, and so does every later step that answers the client, which
// makes the order durable first. A refused checkout (503) promises only that a retry with the same
// key finishes the order, and that retry places it again (same id) if a crash lost it. Its event
// leaves only after the relay's barrier (OutboxBarrier).
const INSERT_ORDER = `
  WITH o AS (
    INSERT INTO orders.orders (id, number, status, checkout_key, cart_id, customer_id, email, currency, tax_included, subtotal, discount,
      shipping, tax, total, shipping_address, billing_address, shipping_method, promotion_ids, reservation_id)
    VALUES ($1, $2, 'pending_payment', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
    RETURNING ${ORDER_COLUMNS}
  ), l AS (
    INSERT INTO orders.order_lines (order_id, position, sku, product_id, product_name, options, quantity, unit_price, subtotal, discount, tax, total)
    SELECT o.id, x.position, x.sku, x."productId", x."productName", x.options, x.quantity, x."unitPrice", x.subtotal, x.discount, x.tax, x.total
    FROM o, jsonb_to_recordset($19::jsonb) AS x(position smallint, sku varchar, "productId" uuid, "productName" varchar, options jsonb,
      quantity int, "unitPrice" int, subtotal int, discount int, tax int, total int)
  ), t AS (
    INSERT INTO orders.order_transitions (order_id, from_status, to_status, actor, reason) SELECT o.id, NULL, 'pending_payment', $20, 'checkout' FROM o
  ), placed AS (${outboxInsertOf(`
    SELECT 'orders.order-placed', 1, jsonb_build_object('orderId', o.id, 'number', o.number, 'customerId', o."customerId", 'email', o.email,
      'currency', o.currency, 'total', o.total, 'promotionIds', to_jsonb(o."promotionIds"))
    FROM o`)})
  SELECT o.* FROM o WHERE ${RELAX_COMMIT} IS NOT NULL`;

// Compare-and-set on the status: of two racing transitions from one status, exactly one moves the order;
// the transition and orders.order-status-changed (its time as JavaScript's toISOString writes it) with it.
const TRANSITION = `
  WITH upd AS (
    UPDATE orders.orders SET status = $3::varchar, updated_at = now(),
      settled_at = CASE WHEN $3::varchar IN ('paid', 'cancelled') THEN NULL ELSE settled_at END
    WHERE id = $1 AND status = $2::varchar RETURNING ${ORDER_COLUMNS}
  ), t AS (
    INSERT INTO orders.order_transitions (order_id, from_status, to_status, actor, reason) SELECT id, $2::varchar, $3::varchar, $4, $5 FROM upd RETURNING order_id, at
  ), changed AS (${outboxInsertOf(`
    SELECT 'orders.order-status-changed', 1, jsonb_build_object('orderId', upd.id, 'number', upd.number, 'from', $2::varchar, 'to', $3::varchar,
      'by', $4::varchar, 'reason', $5::varchar, 'at', to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM upd JOIN t ON t.order_id = upd.id`)})
  SELECT upd.* FROM upd`;

const MAX_NUMBER_DRAWS = 5;

/** Orders, their line snapshots, transitions and notes; each change is one statement or transaction with its outbox events. */
@Injectable()
export class OrdersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Creates the order in pending_payment and publishes orders.order-placed. `duplicate`: its checkout
   * key already has an order; `cartTaken`: the cart already has a live (not cancelled) order.
   */
  async create(order: NewOrder, lines: NewOrderLine[], actor: string): Promise<{ created: OrderWithLines } | { duplicate: true } | { cartTaken: Order }> {
    for (let draw = 1; ; draw++) {
      const number = newOrderNumber();
      try {
        const [created] = await rows<Order>(this.dataSource.manager, INSERT_ORDER, [
          order.id, number, order.checkoutKey, order.cartId, order.customerId, order.email, order.currency, order.taxIncluded,
          order.subtotal, order.discount, order.shipping, order.tax, order.total, order.shippingAddress, order.billingAddress,
          order.shippingMethod, order.promotionIds, order.reservationId, JSON.stringify(lines), actor,
        ]);
        this.events.written({ name: 'orders.order-placed', orderId: created!.id, customerId: created!.customerId });
        return { created: { order: created!, lines: lines.map((l) => ({ ...l, orderId: created!.id })) } };
      } catch (error) {
        const constraint = violated(error);
        if (constraint === 'UQ_orders_orders_checkout_key') return { duplicate: true };
        if (constraint === 'UQ_orders_orders_live_cart') {
          // Either index may refuse a retry of the same checkout first: the key decides which it is.
          if (order.checkoutKey && (await this.findByCheckoutKey(order.checkoutKey))) return { duplicate: true };
          const [taken] = await rows<Order>(this.dataSource.manager, `SELECT ${ORDER_COLUMNS} FROM orders.orders WHERE cart_id = $1 AND status <> 'cancelled'`, [order.cartId]);
          if (taken) return { cartTaken: taken };
          continue;
        }
        if (constraint !== 'UQ_orders_orders_number' || draw >= MAX_NUMBER_DRAWS) throw error;
      }
    }
  }

  /** Moves the order from `from` to `to` if it is still in `from`, records and publishes the change; null otherwise. */
  async transition(id: string, from: OrderStatus, to: OrderStatus, actor: string, reason: string | null): Promise<Order | null> {
    const [moved] = await rows<Order>(this.dataSource.manager, TRANSITION, [id, from, to, actor, reason]);
    if (!moved) return null;
    this.events.written({ name: 'orders.order-status-changed', orderId: id, from, to });
    return moved;
  }

  /** The side effects of the order's current status are done (only if it is still in it). */
  async markSettled(id: string, status: OrderStatus, patch: { reservationId?: string; needsAttention?: boolean } = {}): Promise<void> {
    await this.dataSource.query(
      `UPDATE orders.orders SET settled_at = now(), reservation_id = coalesce($3, reservation_id), needs_attention = needs_attention OR $4
       WHERE id = $1 AND status = $2`,
      [id, status, patch.reservationId ?? null, patch.needsAttention ?? false],
    );
  }

  async flagAttention(id: string): Promise<void> {
    await this.dataSource.query('UPDATE orders.orders SET needs_attention = true WHERE id = $1', [id]);
  }

  async find(id: string): Promise<Order | null> {
    const [order] = await rows<Order>(this.dataSource.manager, `SELECT ${ORDER_COLUMNS} FROM orders.orders WHERE id = $1`, [id]);
    return order ?? null;
  }

  async findByCheckoutKey(checkoutKey: string): Promise<Order | null> {
    const [order] = await rows<Order>(this.dataSource.manager, `SELECT ${ORDER_COLUMNS} FROM orders.orders WHERE checkout_key = $1`, [checkoutKey]);
    return order ?? null;
  }

  async findByNumber(number: string): Promise<Order | null> {
    const [order] = await rows<Order>(this.dataSource.manager, `SELECT ${ORDER_COLUMNS} FROM orders.orders WHERE number = $1`, [number]);
    return order ?? null;
  }

  async withLines(order: Order): Promise<OrderWithLines> {
    return { order, lines: (await this.linesOf([order.id])).get(order.id) ?? [] };
  }

  /** Newest first, with their lines in one more query. */
  async search(filter: OrderFilter): Promise<{ items: OrderWithLines[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.customerId) add('customer_id = ?', filter.customerId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.email) add('email = ?', filter.email.toLowerCase());
    if (filter.placedFrom) add('placed_at >= ?', filter.placedFrom);
    if (filter.placedTo) add('placed_at < ?', filter.placedTo);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const limit = `LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
    const [orders, [count]] = await Promise.all([
      rows<Order>(this.dataSource.manager, `SELECT ${ORDER_COLUMNS} FROM orders.orders ${clause} ORDER BY placed_at DESC, id ${limit}`, [
        ...params, filter.pageSize, (filter.page - 1) * filter.pageSize,
      ]),
      rows<{ total: number }>(this.dataSource.manager, `SELECT count(*)::int AS total FROM orders.orders ${clause}`, params),
    ]);
    const lines = await this.linesOf(orders.map((o) => o.id));
    return { items: orders.map((order) => ({ order, lines: lines.get(order.id) ?? [] })), total: count!.total };
  }

  /** Orders left in pending_payment since before `olderThanMs` ago, oldest first. */
  async stalePending(olderThanMs: number, limit: number): Promise<string[]> {
    const found = await rows<{ id: string }>(
      this.dataSource.manager,
      `SELECT id FROM orders.orders WHERE status = 'pending_payment' AND placed_at <= now() - $1 * interval '1 millisecond' ORDER BY placed_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return found.map((r) => r.id);
  }

  /** Pending orders placed in [from, to), by id, after `afterId` (keyset paging). */
  async pendingPlacedBetween(from: Date, to: Date, afterId: string | null, limit: number): Promise<string[]> {
    const found = await rows<{ id: string }>(
      this.dataSource.manager,
      `SELECT id FROM orders.orders WHERE status = 'pending_payment' AND placed_at >= $1 AND placed_at < $2 AND ($3::uuid IS NULL OR id > $3::uuid) ORDER BY id LIMIT $4`,
      [from, to, afterId, limit],
    );
    return found.map((r) => r.id);
  }

  /** Paid or cancelled orders whose side effects were not finished (a crash, a failed call) since before `olderThanMs` ago. */
  async unsettled(olderThanMs: number, limit: number): Promise<Order[]> {
    return rows<Order>(
      this.dataSource.manager,
      `SELECT ${ORDER_COLUMNS} FROM orders.orders WHERE settled_at IS NULL AND status IN ('paid', 'cancelled')
       AND updated_at <= now() - $1 * interval '1 millisecond' ORDER BY updated_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  async transitionsOf(id: string): Promise<OrderTransition[]> {
    return rows<OrderTransition>(
      this.dataSource.manager,
      `SELECT id, order_id AS "orderId", from_status AS "fromStatus", to_status AS "toStatus", actor, reason, at FROM orders.order_transitions WHERE order_id = $1 ORDER BY id`,
      [id],
    );
  }

  async addNote(note: Omit<OrderNote, 'at'>): Promise<OrderNote> {
    const [saved] = await rows<OrderNote>(
      this.dataSource.manager,
      `INSERT INTO orders.order_notes (id, order_id, author, text) VALUES ($1, $2, $3, $4) RETURNING id, order_id AS "orderId", author, text, at`,
      [note.id, note.orderId, note.author, note.text],
    );
    return saved!;
  }

  async notesOf(id: string): Promise<OrderNote[]> {
    return rows<OrderNote>(this.dataSource.manager, `SELECT id, order_id AS "orderId", author, text, at FROM orders.order_notes WHERE order_id = $1 ORDER BY at, id`, [id]);
  }

  private async linesOf(orderIds: string[]): Promise<Map<string, OrderLine[]>> {
    const byOrder = new Map<string, OrderLine[]>();
    if (!orderIds.length) return byOrder;
    const found = await rows<OrderLine>(this.dataSource.manager, `SELECT ${LINE_COLUMNS} FROM orders.order_lines WHERE order_id = ANY($1) ORDER BY order_id, position`, [orderIds]);
    for (const line of found) byOrder.set(line.orderId, [...(byOrder.get(line.orderId) ?? []), line]);
    return byOrder;
  }
}

function rows<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return manager.query(sql, params) as Promise<T[]>;
}

function violated(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' ? driver.constraint : undefined;
}
