import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import { Order, OrderLine, OrderNote, OrderTransition } from './order.entity.js';
import { type NewOrder, OrdersRepository } from './orders.repository.js';

const address = { firstName: 'Ada', lastName: 'Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

const newOrder = (overrides: Partial<NewOrder> = {}): NewOrder => ({
  id: randomUUID(), checkoutKey: randomUUID().replace(/-/g, '').padEnd(64, '0'), cartId: randomUUID(), customerId: null, email: 'ada@example.com',
  currency: 'EUR', taxIncluded: true, subtotal: 3000, discount: 300, shipping: 499, tax: 431, total: 3199, shippingAddress: address,
  billingAddress: address, shippingMethod: { id: 'standard', name: 'Standard', amount: 499 }, promotionIds: [randomUUID()], reservationId: randomUUID(),
  ...overrides,
});
const line = { position: 0, sku: 'MUG-BLUE', productId: randomUUID(), productName: 'Blue mug', options: { colour: 'blue' }, quantity: 2, unitPrice: 1500, subtotal: 3000, discount: 300, tax: 431, total: 2700 };

describe('OrdersRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let orders: OrdersRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, { imports: [TypeOrmModule.forFeature([Order, OrderLine, OrderTransition, OrderNote])], providers: [OrdersRepository] });
    orders = app.get(OrdersRepository);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const create = async (overrides: Partial<NewOrder> = {}) => {
    const result = await orders.create(newOrder(overrides), [line], 'guest');
    if (!('created' in result)) throw new Error('expected a new order');
    return result.created.order;
  };
  const outbox = async (orderId: string) =>
    (await db.query(`SELECT name, payload FROM platform.outbox_events WHERE payload->>'orderId' = $1 ORDER BY occurred_at, name`, [orderId])).rows;

  it('saves the order, its line snapshot and first transition in one go, and publishes orders.order-placed with the promotions', async () => {
    const order = await create();
    expect(order).toMatchObject({ status: 'pending_payment', total: 3199, shippingAddress: address, settledAt: null, needsAttention: false });
    expect(order.number).toMatch(/^FC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect((await orders.withLines(order)).lines).toEqual([{ ...line, orderId: order.id }]);
    expect(await orders.transitionsOf(order.id)).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'pending_payment', actor: 'guest', reason: 'checkout' })]);
    expect(await outbox(order.id)).toEqual([
      { name: 'orders.order-placed', payload: expect.objectContaining({ orderId: order.id, number: order.number, total: 3199, promotionIds: order.promotionIds, email: 'ada@example.com' }) },
    ]);
  });

  it('keeps numbers unique (the index refuses a duplicate) and answers duplicate for a second order with the same checkout key', async () => {
    const order = await create();
    await expect(db.query(`UPDATE orders.orders SET number = $1 WHERE id <> $2 AND id = (SELECT id FROM orders.orders WHERE id <> $2 LIMIT 1)`, [order.number, order.id]))
      .rejects.toMatchObject({ code: '23505', constraint: 'UQ_orders_orders_number' });
    expect(await orders.create(newOrder({ checkoutKey: order.checkoutKey }), [line], 'guest')).toEqual({ duplicate: true });
    expect(await orders.findByCheckoutKey(order.checkoutKey!)).toMatchObject({ id: order.id });
    const numbers = await Promise.all(Array.from({ length: 50 }, () => create().then((o) => o.number)));
    expect(new Set(numbers).size).toBe(50);
  });

  it('keeps one live order per cart: a second is refused as cartTaken, a cancelled one does not count', async () => {
    const first = await create();
    const again = await orders.create(newOrder({ cartId: first.cartId }), [line], 'guest');
    expect(again).toEqual({ cartTaken: expect.objectContaining({ id: first.id, status: 'pending_payment' }) });
    await orders.transition(first.id, 'pending_payment', 'cancelled', 'system', 'payment_declined');
    expect(await create({ cartId: first.cartId })).toMatchObject({ status: 'pending_payment' });
    expect(await orders.create(newOrder({ cartId: first.cartId, checkoutKey: first.checkoutKey }), [line], 'guest')).toEqual({ duplicate: true });
  });

  it('lets exactly one of many concurrent transitions from the same status win, recorded and published once', async () => {
    const order = await create();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => orders.transition(order.id, 'pending_payment', i % 2 ? 'paid' : 'cancelled', 'system', `attempt ${i}`)),
    );
    const winners = attempts.filter((a) => a !== null);
    expect(winners).toHaveLength(1);
    const won = winners[0]!;
    expect((await orders.find(order.id))!.status).toBe(won.status);
    const transitions = await orders.transitionsOf(order.id);
    expect(transitions.map((t) => [t.fromStatus, t.toStatus])).toEqual([[null, 'pending_payment'], ['pending_payment', won.status]]);
    const events = (await outbox(order.id)).filter((e: { name: string }) => e.name === 'orders.order-status-changed');
    expect(events).toEqual([{ name: 'orders.order-status-changed', payload: expect.objectContaining({ from: 'pending_payment', to: won.status, by: 'system', number: order.number }) }]);
    // The event's time is the transition's, as toISOString writes it.
    const moved = transitions.at(-1)!;
    expect(events[0].payload).toMatchObject({ orderId: order.id, reason: moved.reason, at: moved.at.toISOString() });
    expect(await orders.transition(order.id, 'pending_payment', 'paid', 'system', null)).toBeNull();
  });

  it('marks the side effects of a status done only while the order is in it, and clears the mark on the next paid or cancelled', async () => {
    const order = await create();
    await orders.markSettled(order.id, 'paid');
    expect((await orders.find(order.id))!.settledAt).toBeNull();
    await orders.transition(order.id, 'pending_payment', 'paid', 'system', null);
    await orders.markSettled(order.id, 'paid', { reservationId: order.id });
    const settled = (await orders.find(order.id))!;
    expect(settled.settledAt).toBeInstanceOf(Date);
    expect(settled.reservationId).toBe(order.id);
    await orders.transition(order.id, 'paid', 'fulfilling', 'admin', null);
    expect((await orders.find(order.id))!.settledAt).toEqual(settled.settledAt);
  });

  it('filters by customer, status, email and date, newest first, with lines, in pages', async () => {
    const customerId = randomUUID();
    const first = await create({ customerId, email: 'c@example.com' });
    const second = await create({ customerId, email: 'c@example.com' });
    await orders.transition(second.id, 'pending_payment', 'paid', 'system', null);
    const page = await orders.search({ customerId, page: 1, pageSize: 1 });
    expect([page.total, page.items.map((i) => i.order.id), page.items[0]!.lines.length]).toEqual([2, [second.id], 1]);
    expect((await orders.search({ customerId, status: 'pending_payment', page: 1, pageSize: 10 })).items.map((i) => i.order.id)).toEqual([first.id]);
    expect((await orders.search({ email: 'C@example.com', page: 1, pageSize: 10 })).total).toBe(2);
    expect((await orders.search({ email: 'c@example.com', placedFrom: new Date(Date.now() + 60_000), page: 1, pageSize: 10 })).total).toBe(0);
  });

  it('finds paid or cancelled orders whose side effects were left unfinished, oldest first, for the sweeper', async () => {
    const order = await create();
    await orders.transition(order.id, 'pending_payment', 'paid', 'system', null);
    expect((await orders.unsettled(60_000, 1000)).map((o) => o.id)).not.toContain(order.id);
    await db.query(`UPDATE orders.orders SET updated_at = now() - interval '2 minutes' WHERE id = $1`, [order.id]);
    expect((await orders.unsettled(60_000, 1000)).map((o) => o.id)).toContain(order.id);
    await orders.markSettled(order.id, 'paid');
    expect((await orders.unsettled(60_000, 1000)).map((o) => o.id)).not.toContain(order.id);
  });

  it('finds pending orders older than a given age for the sweeper', async () => {
    const order = await create();
    expect(await orders.stalePending(60_000, 1000)).not.toContain(order.id);
    await db.query(`UPDATE orders.orders SET placed_at = now() - interval '2 minutes' WHERE id = $1`, [order.id]);
    expect(await orders.stalePending(60_000, 1000)).toContain(order.id);
  });
});
