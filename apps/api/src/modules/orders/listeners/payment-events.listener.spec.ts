import { MetricsRegistry, type DeliveredEvent } from '#platform';
import type { PaymentEvent } from '#contracts';
import { OrderSettlement } from '../order-settlement.js';
import { checkoutCart, FakeOrdersRepository, fakePorts } from '../testing/fake-ports.js';
import { PaymentsInFlight } from '../checkout/payments-in-flight.js';
import { PaymentEventsListener } from './payment-events.listener.js';

const event = (name: PaymentEvent['name'], extra: Partial<PaymentEvent> = {}): DeliveredEvent<PaymentEvent> => ({
  name, version: 1, paymentId: 'p1', orderId: 'o1', amount: 3199, currency: 'EUR', captured: 3199, refunded: 0, eventId: `e-${Math.random()}`, occurredAt: new Date().toISOString(), ...extra,
});

async function setUp() {
  const ports = fakePorts();
  const orders = new FakeOrdersRepository();
  const settlement = new OrderSettlement(orders.asRepository(), ports.inventory, ports.cart, ports.pricing, new MetricsRegistry());
  const inFlight = new PaymentsInFlight();
  const listener = new PaymentEventsListener(orders.asRepository(), settlement, inFlight);
  const reservation = await ports.inventory.reserve({ userId: null, roles: [], cartToken: null, requestId: 't' }, { reference: 'o1', lines: [{ sku: 'MUG-BLUE', quantity: 1 }] });
  const cart = checkoutCart();
  await orders.create(
    { id: 'o1', checkoutKey: 'k1', cartId: cart.id, customerId: null, email: 'a@example.com', currency: 'EUR', taxIncluded: true, ...cart.totals,
      shippingAddress: cart.shippingAddress!, billingAddress: cart.shippingAddress!, shippingMethod: cart.shippingMethod!, promotionIds: [], reservationId: reservation.id },
    [], 'guest',
  );
  return { ...ports, orders, listener, inFlight, reservation, statuses: () => orders.transitions.map((t) => t.toStatus) };
}

describe('PaymentEventsListener (ports faked)', () => {
  it('settles a pending order as paid once, however often and in whatever order authorized and captured arrive', async () => {
    const t = await setUp();
    await t.listener.onSucceeded(event('payments.payment-captured'));
    await t.listener.onSucceeded(event('payments.payment-authorized', { captured: 0 }));
    await t.listener.onSucceeded(event('payments.payment-captured'));
    expect(t.statuses()).toEqual(['pending_payment', 'paid']);
    expect(t.inventory.commit).toHaveBeenCalledTimes(1);
    expect(t.cart.markConverted).toHaveBeenCalledTimes(1);
  });

  it('settles from an authorization alone (capture on fulfilment), and leaves one already captured to its captured event', async () => {
    const t = await setUp();
    await t.listener.onSucceeded(event('payments.payment-authorized', { captured: 3199 }));
    expect(t.statuses()).toEqual(['pending_payment']);
    await t.listener.onSucceeded(event('payments.payment-authorized', { captured: 0 }));
    expect(t.statuses()).toEqual(['pending_payment', 'paid']);
  });

  it('cancels on a decline only; a payment that was not charged leaves the order pending', async () => {
    const t = await setUp();
    await t.listener.onFailed(event('payments.payment-failed', { reason: 'not_charged', captured: 0 }));
    expect(t.statuses()).toEqual(['pending_payment']);
    await t.listener.onFailed(event('payments.payment-failed', { reason: 'declined', captured: 0 }));
    await t.listener.onFailed(event('payments.payment-failed', { reason: 'declined', captured: 0 }));
    expect(t.statuses()).toEqual(['pending_payment', 'cancelled']);
    expect(t.inventory.release).toHaveBeenCalledTimes(1);
  });

  it('follows refunds: partially, then fully; a repeated partial refund records nothing new; ignores unknown orders', async () => {
    const t = await setUp();
    await t.listener.onSucceeded(event('payments.payment-captured'));
    await t.listener.onRefunded(event('payments.payment-refunded', { refunded: 1000 }));
    await t.listener.onRefunded(event('payments.payment-refunded', { refunded: 2000 }));
    await t.listener.onRefunded(event('payments.payment-refunded', { refunded: 3199 }));
    await t.listener.onRefunded(event('payments.payment-refunded', { refunded: 3199 }));
    expect(t.statuses()).toEqual(['pending_payment', 'paid', 'partially_refunded', 'refunded']);
    await t.listener.onSucceeded(event('payments.payment-captured', { orderId: 'not-an-order' }));
  });

  it("leaves an order whose checkout is still waiting on this payment to checkout", async () => {
    const t = await setUp();
    await t.inFlight.around('o1', async () => {
      await t.listener.onSucceeded(event('payments.payment-captured'));
      await t.listener.onFailed(event('payments.payment-failed', { reason: 'declined', captured: 0 }));
    });
    expect(t.statuses()).toEqual(['pending_payment']);
    expect(t.inFlight.has('o1')).toBe(false);
    await t.listener.onSucceeded(event('payments.payment-captured'));
    expect(t.statuses()).toEqual(['pending_payment', 'paid']);
  });
});
