import { jest } from '@jest/globals';
import { type AppConfig, MetricsRegistry } from '#platform';
import { OrderSettlement } from '../order-settlement.js';
import { checkoutCart, FakeOrdersRepository, fakePorts } from '../testing/fake-ports.js';
import { OrderExpiry } from './order-expiry.js';
import type { OrderExpiryScheduler } from './order-expiry.scheduler.js';

const ctx = { userId: null, roles: ['system'], cartToken: null, requestId: 'expiry' };
const TTL = 1000;

async function setUp() {
  const ports = fakePorts();
  const orders = new FakeOrdersRepository();
  const scheduler = { checkLater: jest.fn(async () => undefined), checkPlacedWindow: jest.fn(async () => undefined) };
  const config = { get: () => TTL } as unknown as AppConfig;
  const settlement = new OrderSettlement(orders.asRepository(), ports.inventory, ports.cart, ports.pricing, new MetricsRegistry());
  const expiry = new OrderExpiry(orders.asRepository(), settlement, ports.payments, scheduler as unknown as OrderExpiryScheduler, config);
  const reservation = await ports.inventory.reserve(ctx, { reference: 'o1', lines: [{ sku: 'MUG-BLUE', quantity: 1 }] });
  const cart = checkoutCart();
  const place = (id: string) => orders.create(
    { id, checkoutKey: `k-${id}`, cartId: id === 'o1' ? cart.id : `cart-${id}`, customerId: null, email: 'a@example.com', currency: 'EUR', taxIncluded: true, ...cart.totals,
      shippingAddress: cart.shippingAddress!, billingAddress: cart.shippingAddress!, shippingMethod: cart.shippingMethod!, promotionIds: ['p1'], reservationId: reservation.id },
    [], 'guest',
  );
  await place('o1');
  const age = (ms: number) => {
    const held = orders.orders.get('o1')!;
    held.order = { ...held.order, placedAt: new Date(Date.now() - ms) };
  };
  return { ...ports, orders, place, scheduler, expiry, settlement, reservation, age, status: () => orders.orders.get('o1')!.order.status };
}

describe('OrderExpiry (ports faked)', () => {
  it('leaves an order alone before its reservation ran out, and one no longer pending', async () => {
    const t = await setUp();
    expect(await t.expiry.check(ctx, 'o1')).toBe('not_due');
    await t.orders.transition('o1', 'pending_payment', 'paid', 'system', null);
    t.age(TTL * 100);
    expect(await t.expiry.check(ctx, 'o1')).toBe('settled');
    expect(t.payments.listForOrder).not.toHaveBeenCalled();
  });

  it('settles as paid when payments has a successful payment, selling the stock', async () => {
    const t = await setUp();
    t.age(TTL * 100);
    t.payments.listForOrder.mockResolvedValueOnce([t.paymentView('o1', 'failed'), t.paymentView('o1', 'captured')]);
    expect(await t.expiry.check(ctx, 'o1')).toBe('paid');
    expect(t.status()).toBe('paid');
    expect(t.inventory.commit).toHaveBeenCalledWith(ctx, t.reservation.id);
  });

  it('asks again later while a payment is still pending (unknown), the stock held', async () => {
    const t = await setUp();
    t.age(TTL * 100);
    t.payments.listForOrder.mockResolvedValueOnce([t.paymentView('o1', 'pending')]);
    expect(await t.expiry.check(ctx, 'o1')).toBe('recheck');
    expect(t.status()).toBe('pending_payment');
    expect(t.scheduler.checkLater).toHaveBeenCalledWith('o1', expect.any(Number));
    expect(t.inventory.release).not.toHaveBeenCalled();
  });

  it('cancels with payment_timeout and releases stock and promotions when nothing was charged', async () => {
    const t = await setUp();
    t.age(TTL * 100);
    t.payments.listForOrder.mockResolvedValueOnce([t.paymentView('o1', 'failed')]);
    expect(await t.expiry.check(ctx, 'o1')).toBe('cancelled');
    expect(t.status()).toBe('cancelled');
    expect(t.orders.transitions.at(-1)).toMatchObject({ fromStatus: 'pending_payment', toStatus: 'cancelled', reason: 'payment_timeout' });
    expect(t.inventory.release).toHaveBeenCalledWith(ctx, t.reservation.id, 'payment_timeout');
    expect(t.pricing.releaseRedemptions).toHaveBeenCalledWith(ctx, 'o1');
  });

  it('sells nothing for a paid order an admin cancelled (its stock released) before the payment settled', async () => {
    const t = await setUp();
    await t.orders.transition('o1', 'pending_payment', 'paid', 'system', 'payment_authorized');
    const paid = { ...t.orders.orders.get('o1')!.order };
    await t.orders.transition('o1', 'paid', 'cancelled', 'admin', 'cancelled_by_admin');
    await t.inventory.release(ctx, t.reservation.id, 'cancelled_by_admin');
    await t.settlement.paid(ctx, paid, 'checkout_resumed');
    expect(t.inventory.reserve).toHaveBeenCalledTimes(1); // setUp's own: no second reservation was taken and sold
    expect(t.status()).toBe('cancelled');
  });

  it('gives back the stock it took again when the order was cancelled while it sold it', async () => {
    const t = await setUp();
    await t.orders.transition('o1', 'pending_payment', 'paid', 'system', 'payment_authorized');
    await t.inventory.release(ctx, t.reservation.id, 'expired'); // the reservation ran out while the payment was unknown
    const sell = t.inventory.commit.getMockImplementation()!;
    t.inventory.commit.mockImplementation(async (c, id) => {
      if (id !== t.reservation.id) await t.orders.transition('o1', 'paid', 'cancelled', 'admin', 'cancelled_by_admin');
      return sell(c, id);
    });
    await t.settlement.paid(ctx, { ...t.orders.orders.get('o1')!.order }, 'checkout_resumed');
    const again = (await t.inventory.reserve.mock.results[1]!.value) as { id: string };
    expect(again.id).not.toBe(t.reservation.id);
    expect(t.inventory.restock).toHaveBeenCalledWith(ctx, again.id, 'order_cancelled');
  });

  it('schedules the check of an unsettled checkout with the orders placed in the same window, due after the reservation', async () => {
    const t = await setUp();
    const order = t.orders.orders.get('o1')!.order;
    await t.expiry.scheduleFor(order);
    expect(t.scheduler.checkPlacedWindow).toHaveBeenCalledWith('o1', new Date(order.placedAt), TTL + 5000);
  });

  it('checks the pending orders placed in a window, and only those (the window job)', async () => {
    const t = await setUp();
    t.age(TTL * 100);
    const placedAt = new Date(t.orders.orders.get('o1')!.order.placedAt).getTime();
    t.payments.listForOrder.mockResolvedValue([t.paymentView('o1', 'failed')]);
    expect(await t.expiry.checkPlaced(ctx, new Date(placedAt + 1), new Date(placedAt + 1000))).toBe(0);
    expect(await t.expiry.checkPlaced(ctx, new Date(placedAt - 1000), new Date(placedAt))).toBe(0);
    expect(t.status()).toBe('pending_payment');
    expect(await t.expiry.checkPlaced(ctx, new Date(placedAt), new Date(placedAt + 1))).toBe(1);
    expect(t.status()).toBe('cancelled');
  });

  it('checks a window with more pending orders than one batch, each once', async () => {
    const t = await setUp();
    const ids = Array.from({ length: 149 }, (_, i) => `o2-${String(i).padStart(3, '0')}`);
    for (const id of ids) await t.place(id);
    const placedAt = new Date(Date.now() - TTL * 100);
    for (const held of t.orders.orders.values()) held.order = { ...held.order, placedAt };
    t.payments.listForOrder.mockResolvedValue([]);
    expect(await t.expiry.checkPlaced(ctx, placedAt, new Date(placedAt.getTime() + 1000))).toBe(150);
    expect([...t.orders.orders.values()].filter((o) => o.order.status !== 'cancelled')).toEqual([]);
    expect(t.payments.listForOrder).toHaveBeenCalledTimes(150);
  });

  it('sweeps: finishes a paid order whose stock was not yet sold, and checks due pending orders', async () => {
    const t = await setUp();
    await t.orders.transition('o1', 'pending_payment', 'paid', 'system', 'payment_authorized');
    expect(await t.expiry.sweep(ctx)).toBe(1);
    expect(t.inventory.commit).toHaveBeenCalledWith(ctx, t.reservation.id);
    expect(t.orders.orders.get('o1')!.order.settledAt).not.toBeNull();
    expect(await t.expiry.sweep(ctx)).toBe(0);
  });

  it('sweeps: finishes a paid order cancelled before its sold stock was returned, restocking it once', async () => {
    const t = await setUp();
    await t.orders.transition('o1', 'pending_payment', 'paid', 'system', 'payment_authorized');
    expect(await t.expiry.sweep(ctx)).toBe(1);
    await t.orders.transition('o1', 'paid', 'cancelled', 'admin-1', 'customer asked');
    expect(await t.expiry.sweep(ctx)).toBe(1);
    expect(t.inventory.restock).toHaveBeenCalledTimes(1);
    expect(t.inventory.restock).toHaveBeenCalledWith(ctx, t.reservation.id, 'settle_resumed');
    expect(t.orders.orders.get('o1')!.order.settledAt).not.toBeNull();
    expect(await t.expiry.sweep(ctx)).toBe(0);
    expect(t.inventory.restock).toHaveBeenCalledTimes(1);
  });
});
