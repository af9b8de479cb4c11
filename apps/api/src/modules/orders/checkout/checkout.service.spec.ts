import { jest } from '@jest/globals';
import { type CallContext, type OrderStatus } from '#contracts';
import { MetricsRegistry } from '#platform';
import type { OrderExpiry } from '../jobs/order-expiry.js';
import { OrderSettlement } from '../order-settlement.js';
import { checkoutCart, FakeOrdersRepository, fakePorts, guest, PortError } from '../testing/fake-ports.js';
import { CheckoutPayment } from './checkout-payment.js';
import { PaymentsInFlight } from './payments-in-flight.js';
import { CheckoutService } from './checkout.service.js';
import type { CheckoutDto } from './checkout.dto.js';

const dto = (overrides: Partial<CheckoutDto> = {}): CheckoutDto =>
  ({ cartId: checkoutCart().id, email: 'ada@example.com', payment: { method: 'card', token: 'tok_ok' }, ...overrides }) as CheckoutDto;

function setUp(cart = checkoutCart()) {
  const ports = fakePorts(cart);
  const orders = new FakeOrdersRepository();
  const expiry = { scheduleFor: jest.fn(async () => undefined) };
  const settlement = new OrderSettlement(orders.asRepository(), ports.inventory, ports.cart, ports.pricing, new MetricsRegistry());
  const payment = new CheckoutPayment(ports.payments, settlement, expiry as unknown as OrderExpiry, new PaymentsInFlight());
  const checkout = new CheckoutService(orders.asRepository(), payment, ports.cart, ports.inventory, ports.pricing, ports.identity);
  const only = () => {
    expect(orders.orders.size).toBe(1);
    return [...orders.orders.values()][0]!.order;
  };
  const reasons = (to: OrderStatus) => orders.transitions.filter((t) => t.toStatus === to).map((t) => t.reason);
  return { ...ports, orders, expiry, checkout, only, reasons };
}

describe('CheckoutService (ports faked)', () => {
  it('reserves, redeems, places the order, pays, then marks it paid, sells the stock and converts the cart', async () => {
    const t = setUp();
    const answer = await t.checkout.checkout(guest, 'key-1', dto());
    expect(answer.status).toBe(201);
    expect(answer.body.order).toMatchObject({
      status: 'paid', email: 'ada@example.com', currency: 'EUR', totals: { total: 3199, discount: 300, shipping: 499 },
      lines: [{ sku: 'MUG-BLUE', productName: 'Blue mug', quantity: 2, unitPrice: 1500, total: 2700, options: { colour: 'blue' } }],
      billingAddress: checkoutCart().shippingAddress, shippingMethod: { id: 'standard', amount: 499 },
    });
    const order = t.only();
    expect(t.inventory.reserve).toHaveBeenCalledWith(guest, { reference: order.id, lines: [{ sku: 'MUG-BLUE', quantity: 2 }] });
    expect(t.pricing.redeem).toHaveBeenCalledWith(guest, { reference: order.id, customerId: null, email: 'ada@example.com', promotionIds: [checkoutCart().discounts[0]!.promotionId] });
    expect(t.payments.authorize).toHaveBeenCalledWith(guest, { orderId: order.id, amount: 3199, currency: 'EUR', token: 'tok_ok', idempotencyKey: `order:${order.id}` });
    expect(t.inventory.commit).toHaveBeenCalledWith(guest, order.reservationId);
    expect(t.cart.markConverted).toHaveBeenCalledWith(guest, { cartId: order.cartId, orderId: order.id });
    expect(order.settledAt).not.toBeNull();
    expect(t.orders.transitions.map((x) => x.toStatus)).toEqual(['pending_payment', 'paid']);
  });

  it('on a decline cancels the order, releases stock and redemptions, leaves the cart open and answers 402', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.DECLINED', 'unprocessable', { declineCode: 'card_declined' }));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'CHECKOUT.PAYMENT_DECLINED', kind: 'payment_required', extensions: { reason: 'card_declined' } });
    const order = t.only();
    expect(order.status).toBe('cancelled');
    expect(t.reasons('cancelled')).toEqual(['payment_declined']);
    expect(t.inventory.release).toHaveBeenCalledWith(guest, order.reservationId, 'payment_declined');
    expect(t.pricing.releaseRedemptions).toHaveBeenCalledWith(guest, order.id);
    expect(t.inventory.commit).not.toHaveBeenCalled();
    expect(t.cart.markConverted).not.toHaveBeenCalled();
  });

  it('keeps the order pending_payment with its stock when the outcome is unknown, and passes the retryable 503 on', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.OUTCOME_UNKNOWN', 'unavailable', {}, { 'retry-after': '2' }));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.OUTCOME_UNKNOWN', kind: 'unavailable', headers: { 'retry-after': '2' } });
    expect(t.only().status).toBe('pending_payment');
    expect(t.inventory.release).not.toHaveBeenCalled();
    expect(t.pricing.releaseRedemptions).not.toHaveBeenCalled();
    expect(t.expiry.scheduleFor).toHaveBeenCalledWith(expect.objectContaining({ id: t.only().id }));
  });

  it('passes an open breaker on as 503 with Retry-After, the order pending with its reservation', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.UNAVAILABLE', 'unavailable', {}, { 'retry-after': '7' }));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.UNAVAILABLE', kind: 'unavailable', headers: { 'retry-after': '7' } });
    expect(t.only().status).toBe('pending_payment');
    expect(t.inventory.release).not.toHaveBeenCalled();
    expect(t.expiry.scheduleFor).toHaveBeenCalled();
  });

  it('resumes by checkout key: the retry pays the same order with the same payment key, without a second reservation or cart read', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.UNAVAILABLE', 'unavailable'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.UNAVAILABLE' });
    const retried = await t.checkout.checkout(guest, 'key-1', dto());
    expect([retried.status, retried.body.order.status]).toEqual([201, 'paid']);
    const again = await t.checkout.checkout(guest, 'key-1', dto());
    expect(again.body.order).toEqual(retried.body.order);

    const order = t.only();
    expect(t.inventory.reserve).toHaveBeenCalledTimes(1);
    expect(t.cart.prepareCheckout).toHaveBeenCalledTimes(1);
    expect(t.pricing.redeem).toHaveBeenCalledTimes(1);
    expect(t.payments.authorize.mock.calls.map(([, input]) => input.idempotencyKey)).toEqual([`order:${order.id}`, `order:${order.id}`]);
    expect(t.inventory.commit).toHaveBeenCalledTimes(1);
  });

  it('answers a retry whose order was cancelled meanwhile with 409 (expired) or 402 (declined), paying nothing', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.UNAVAILABLE', 'unavailable'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.UNAVAILABLE' });
    await t.orders.transition(t.only().id, 'pending_payment', 'cancelled', 'system', 'payment_timeout');
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'CHECKOUT.ORDER_CANCELLED', kind: 'conflict', extensions: { reason: 'payment_timeout' } });
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.DECLINED', 'unprocessable'));
    await expect(t.checkout.checkout({ ...guest, cartToken: 'c2' }, 'key-1', dto({ cartId: 'c2c2c2c2-1d20-4c1e-9d2f-6f1c0a5e7a9b' }))).rejects.toMatchObject({ code: 'CHECKOUT.PAYMENT_DECLINED' });
    await expect(t.checkout.checkout({ ...guest, cartToken: 'c2' }, 'key-1', dto())).rejects.toMatchObject({ code: 'CHECKOUT.PAYMENT_DECLINED' });
    expect(t.payments.authorize).toHaveBeenCalledTimes(2);
  });

  it('finishes on a retry what a failure after the payment left undone: the order paid, the stock then sold, the cart converted', async () => {
    const t = setUp();
    t.inventory.commit.mockRejectedValueOnce(new Error('connection reset'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toThrow('connection reset');
    expect([t.only().status, t.only().settledAt]).toEqual(['paid', null]);
    const retried = await t.checkout.checkout(guest, 'key-1', dto());
    expect([retried.status, retried.body.order.status]).toEqual([201, 'paid']);
    expect(t.only().settledAt).not.toBeNull();
    expect(t.payments.authorize).toHaveBeenCalledTimes(1);
    expect(t.inventory.commit).toHaveBeenCalledTimes(2);
  });

  it('scopes the checkout key to the caller: another guest with the same key gets an order of its own', async () => {
    const t = setUp();
    await t.checkout.checkout(guest, 'key-1', dto());
    t.cart.prepareCheckout.mockResolvedValueOnce(checkoutCart({ id: 'c2c2c2c2-1d20-4c1e-9d2f-6f1c0a5e7a9b' }));
    await t.checkout.checkout({ ...guest, cartToken: 'another-cart' }, 'key-1', dto());
    expect(t.orders.orders.size).toBe(2);
  });

  it('refuses a second checkout of a cart whose order is still live (another key), releasing what it took: one charge per cart', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.OUTCOME_UNKNOWN', 'unavailable'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.OUTCOME_UNKNOWN' });
    const first = t.only();
    await expect(t.checkout.checkout(guest, 'key-2', dto())).rejects.toMatchObject({ code: 'CHECKOUT.CART_HAS_ORDER', kind: 'conflict', extensions: { orderId: first.id, orderStatus: 'pending_payment' } });
    const second = t.inventory.reserve.mock.calls[1]![1].reference;
    expect(t.inventory.release).toHaveBeenCalledWith(guest, t.held.get(second)!.id, 'checkout_failed');
    expect(t.pricing.releaseRedemptions).toHaveBeenCalledWith(guest, second);
    expect(t.payments.authorize).toHaveBeenCalledTimes(1);
    expect(t.only().id).toBe(first.id);
  });

  it('after a crash between reserving and saving the order, the retry finds the same reservation (same reference) and the same order id', async () => {
    const t = setUp();
    t.orders.failNextCreate = new Error('connection lost');
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toThrow('connection lost');
    const [[, first]] = t.inventory.reserve.mock.calls;
    expect(t.inventory.release).toHaveBeenCalledTimes(1);
    await t.checkout.checkout(guest, 'key-1', dto());
    expect(t.inventory.reserve.mock.calls[1]![1].reference).toBe(first.reference);
    expect(t.only().id).toBe(first.reference);
  });

  it('releases the stock when a promotion is exhausted, and places nothing (422 passes through)', async () => {
    const t = setUp();
    t.pricing.redeem.mockRejectedValueOnce(new PortError('PRICING.PROMOTION_EXHAUSTED', 'unprocessable'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PRICING.PROMOTION_EXHAUSTED' });
    const [[, reservationInput]] = t.inventory.reserve.mock.calls;
    expect(t.inventory.release).toHaveBeenCalledWith(guest, t.held.get(reservationInput.reference)!.id, 'checkout_failed');
    expect(t.orders.orders.size).toBe(0);
    expect(t.payments.authorize).not.toHaveBeenCalled();
  });

  it('refuses changed prices with 409 and the new totals, reserving nothing', async () => {
    const t = setUp(checkoutCart({ pricesChanged: true }));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'CHECKOUT.PRICES_CHANGED', kind: 'conflict', extensions: { totals: { total: 3199 } } });
    expect(t.inventory.reserve).not.toHaveBeenCalled();
  });

  it('names everything missing: the cart says lines and address, the guest gave no email', async () => {
    const t = setUp();
    t.cart.prepareCheckout.mockRejectedValueOnce(new PortError('CART.INCOMPLETE', 'unprocessable', { missing: ['lines', 'shippingAddress'] }));
    await expect(t.checkout.checkout(guest, 'key-1', dto({ email: undefined }))).rejects.toMatchObject({
      code: 'CHECKOUT.INCOMPLETE', kind: 'unprocessable', extensions: { missing: ['lines', 'shippingAddress', 'email'] },
    });
    await expect(t.checkout.checkout(guest, 'key-2', dto({ email: undefined }))).rejects.toMatchObject({ code: 'CHECKOUT.INCOMPLETE', extensions: { missing: ['email'] } });
    expect(t.inventory.reserve).not.toHaveBeenCalled();
  });

  it("uses a customer's account email when none is given, and passes out of stock through untouched", async () => {
    const t = setUp();
    const customer: CallContext = { userId: '7a9b4c1e-9d2f-4b7e-8c5a-1d206f1c0a5e', roles: ['customer'], cartToken: null, requestId: 'r2' };
    const answer = await t.checkout.checkout(customer, 'key-1', dto({ email: undefined }));
    expect(answer.body.order).toMatchObject({ email: 'customer@example.com', customerId: customer.userId });
    t.inventory.reserve.mockRejectedValueOnce(new PortError('INVENTORY.OUT_OF_STOCK', 'conflict', { skus: ['MUG-BLUE'] }));
    await expect(t.checkout.checkout(customer, 'key-2', dto())).rejects.toMatchObject({ code: 'INVENTORY.OUT_OF_STOCK', kind: 'conflict' });
    expect(t.pricing.redeem).toHaveBeenCalledTimes(1);
  });

  it('settles once when the payment event races the synchronous answer', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.OUTCOME_UNKNOWN', 'unavailable'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.OUTCOME_UNKNOWN' });
    const settlement = new OrderSettlement(t.orders.asRepository(), t.inventory, t.cart, t.pricing, new MetricsRegistry());
    const order = t.only();
    const [a, b] = await Promise.all([settlement.paid(guest, order, 'payment_captured'), settlement.paid(guest, order, 'payment_authorized')]);
    expect([a.status, b.status]).toEqual(['paid', 'paid']);
    expect(t.orders.transitions.filter((x) => x.toStatus === 'paid')).toHaveLength(1);
    await settlement.paid(guest, t.only(), 'payment_captured');
    expect(t.cart.markConverted.mock.calls.length).toBeLessThanOrEqual(2);
    expect(t.only().settledAt).not.toBeNull();
  });

  it('re-reserves when the reservation ended before a late payment, and flags the order when the stock is gone', async () => {
    const t = setUp();
    t.payments.authorize.mockRejectedValueOnce(new PortError('PAYMENTS.OUTCOME_UNKNOWN', 'unavailable'));
    await expect(t.checkout.checkout(guest, 'key-1', dto())).rejects.toMatchObject({ code: 'PAYMENTS.OUTCOME_UNKNOWN' });
    const order = t.only();
    await t.inventory.release(guest, order.reservationId!, 'expired');
    t.inventory.reserve.mockRejectedValueOnce(new PortError('INVENTORY.OUT_OF_STOCK', 'conflict'));
    const settlement = new OrderSettlement(t.orders.asRepository(), t.inventory, t.cart, t.pricing, new MetricsRegistry());
    const paid = await settlement.paid(guest, order, 'payment_captured');
    expect([paid.status, t.only().needsAttention]).toEqual(['paid', true]);
  });
});

