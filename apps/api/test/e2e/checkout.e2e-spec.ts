import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body, eventually } from '#testing';
import { startSimulator } from '../../../../libs/devtools/src/gateway-simulator/simulator-test-kit.js';
import { ORDER_EXPIRY_QUEUE, ORDER_SWEEP_SCHEDULER_ID } from '../../src/modules/orders/jobs/order-expiry.queue.js';
import { PaymentsReconciler } from '../../src/modules/payments/jobs/payments-reconciler.js';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;
const address = { firstName: 'Ada', lastName: 'Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

/** The API (with the simulator) and what the checkout tests do through it. */
function shop() {
  const t = {
    simulator: undefined as unknown as Awaited<ReturnType<typeof startSimulator>>,
    api: undefined as unknown as Awaited<ReturnType<typeof startApi>>,
    admin: '',
  };
  const send = (method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.api.url}/api/v1${path}`, {
      method,
      headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const ok = async (response: Response, status = 201) => {
    if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
    return body(response);
  };
  const problem = async (response: Response, status: number) => {
    expect([response.status, response.headers.get('content-type')]).toEqual([status, expect.stringMatching(PROBLEM)]);
    return body(response);
  };
  /** A cart with these lines: a guest's (token in X-Cart-Token) or, with `token`, a customer's. */
  async function cart(lines: [string, number][], token?: string) {
    const opened = await ok(await send('POST', '/carts', {}, token ? bearer(token) : {}));
    const headers = token ? bearer(token) : { 'x-cart-token': opened.token as string };
    for (const [sku, quantity] of lines) await ok(await send('POST', `/carts/${opened.id}/items`, { sku, quantity }, headers));
    return { id: opened.id as string, headers };
  }
  const checkout = (headers: Record<string, string>, payload: Record<string, unknown>, key: string | null = randomUUID()) =>
    send('POST', '/checkout', payload, { ...headers, ...(key ? { 'idempotency-key': key } : {}) });
  const guestCheckout = (c: { id: string; headers: Record<string, string> }, token = 'tok_ok', key?: string) =>
    checkout(c.headers, { cartId: c.id, email: 'guest@example.com', shippingAddress: address, payment: { method: 'card', token } }, key);
  const stock = async (sku: string) =>
    (await t.api.db.query(`SELECT coalesce(sum(on_hand), 0)::int AS "onHand", coalesce(sum(reserved), 0)::int AS reserved FROM inventory.stock_levels WHERE sku = $1`, [sku])).rows[0];
  const receive = async (sku: string, delta: number) =>
    ok(await send('POST', `/admin/inventory/${sku}/adjustments`, { delta, reason: 'delivery', kind: 'received' }, bearer(t.admin)));
  const account = async (roles: ('customer' | 'admin')[]) => {
    const identity = t.api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const made = await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'checkout password', roles });
    return made.tokens.accessToken;
  };
  /** Boots the simulator and the API, an admin, and a product with these SKUs (EUR prices) in stock. */
  async function start(env: Record<string, string>, skus: [string, number, number][]) {
    t.simulator = await startSimulator();
    t.api = await startApi({ env: { GATEWAY_SIMULATOR_URL: t.simulator.client.url, PAYMENTS_RECONCILE_EVERY_MS: '3600000', ...env } });
    t.admin = await account(['customer', 'admin']);
    const variants = skus.map(([sku, amount]) => ({ sku, price: { amount, currency: 'EUR' } }));
    await ok(await send('POST', '/admin/products', { name: 'Blue Mug', status: 'active', variants }, bearer(t.admin)));
    for (const [sku, , units] of skus) await receive(sku, units);
  }
  async function stop() {
    await t.api?.close();
    await t.simulator?.close();
  }
  return { t, send, bearer, ok, problem, cart, checkout, guestCheckout, stock, account, start, stop };
}

describe('checkout and orders over HTTP (real simulator, PostgreSQL, Redis)', () => {
  const { t, send, bearer, ok, problem, cart, checkout, guestCheckout, stock, account, start, stop } = shop();
  let simulator: typeof t.simulator;
  let api: typeof t.api;
  let admin: string;
  let customer: { token: string; email: string; id: string };
  let other: string;

  beforeAll(async () => {
    await start({}, [['CHK-MUG', 1500, 100], ['CHK-RACE', 1000, 50], ['CHK-DECLINE', 700, 10], ['CHK-RETURN', 1200, 10], ['CHK-ONCE', 2000, 10], ['CHK-END', 1000, 10], ['CHK-GUEST', 1000, 10]]);
    ({ api, simulator, admin } = t);
    const registered = await ok(await send('POST', '/auth/register', { email: `${randomUUID()}@example.com`, password: 'checkout password', name: 'Ada Customer' }));
    customer = { token: registered.tokens.accessToken, email: registered.user.email, id: registered.user.id };
    other = await account(['customer']);
  }, 60_000);
  afterAll(stop);

  it("places and pays a guest's order: 201 with the order, stock sold, the charge in the ledger, found again by number and email", async () => {
    const before = await stock('CHK-MUG');
    const c = await cart([['CHK-MUG', 2]]);
    const order = (await ok(await guestCheckout(c))).order;
    expect(order).toMatchObject({
      status: 'paid', email: 'guest@example.com', customerId: null, currency: 'EUR', shippingAddress: address, billingAddress: address,
      lines: [{ sku: 'CHK-MUG', productName: 'Blue Mug', quantity: 2, unitPrice: 1500, subtotal: 3000 }],
      totals: { subtotal: 3000, total: expect.any(Number) },
    });
    expect(order.number).toMatch(/^FC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await stock('CHK-MUG')).toEqual({ onHand: before.onHand - 2, reserved: before.reserved });
    const charges = (await simulator.client.ledger()).payment_intents.filter((p: { metadata?: { orderId?: string } }) => p.metadata?.orderId === order.id);
    expect(charges).toHaveLength(1);

    const found = await ok(await send('POST', '/orders/lookup', { number: order.number.toLowerCase(), email: 'GUEST@example.com' }), 200);
    expect(found).toEqual(order);
    expect(await ok(await send('GET', `/orders/lookup?number=${order.number}&email=guest@example.com`), 200)).toEqual(order);
    expect((await problem(await send('POST', '/orders/lookup', { number: order.number, email: 'someone@example.com' }), 404)).code).toBe('ORDERS.NOT_FOUND');
    expect((await send('GET', `/orders/${order.id}`)).status).toBe(401);
    const events = (await api.db.query(`SELECT name FROM platform.outbox_events WHERE payload->>'orderId' = $1 AND name LIKE 'orders.%' ORDER BY occurred_at, name`, [order.id])).rows;
    expect(events.map((e: { name: string }) => e.name)).toEqual(['orders.order-placed', 'orders.order-status-changed']);
  });

  it("places a customer's order with the account email, shows it to its owner only (another customer's order or cart is 404)", async () => {
    const c = await cart([['CHK-MUG', 1]], customer.token);
    const order = (await ok(await checkout(c.headers, { cartId: c.id, shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } }))).order;
    expect(order).toMatchObject({ status: 'paid', email: customer.email.toLowerCase(), customerId: customer.id });
    expect(await ok(await send('GET', `/orders/${order.id}`, undefined, bearer(customer.token)), 200)).toEqual(order);
    const mine = await ok(await send('GET', '/orders?pageSize=5', undefined, bearer(customer.token)), 200);
    expect(mine).toMatchObject({ page: 1, pageSize: 5, total: 1, items: [order] });
    expect((await problem(await send('GET', `/orders/${order.id}`, undefined, bearer(other)), 404)).code).toBe('ORDERS.NOT_FOUND');
    expect(await ok(await send('GET', '/orders', undefined, bearer(other)), 200)).toMatchObject({ total: 0, items: [] });
    expect(await ok(await send('GET', `/orders/${order.id}`, undefined, bearer(admin)), 200)).toEqual(order);

    const theirs = await cart([['CHK-MUG', 1]], customer.token);
    const foreign = await problem(await checkout(bearer(other), { cartId: theirs.id, shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } }), 404);
    expect(foreign.code).toBe('CART.NOT_FOUND');
    expect((await api.db.query('SELECT count(*)::int AS n FROM orders.orders WHERE cart_id = $1', [theirs.id])).rows[0].n).toBe(0);
  });

  it("stops showing an automatic promotion once the customer used up their limit, so the next order goes through at full price", async () => {
    const promotion = await ok(
      await send('POST', '/admin/promotions', { name: 'First one 10 % off', kind: 'line_percentage', percentage: 10, targets: { skus: ['CHK-ONCE'] }, perCustomerLimit: 1 }, bearer(admin)),
    );
    const shopper = await account(['customer']);
    const pay = (c: { id: string; headers: Record<string, string> }) => checkout(c.headers, { cartId: c.id, shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } });
    const first = await cart([['CHK-ONCE', 1]], shopper);
    const firstOrder = (await ok(await pay(first))).order;
    expect(firstOrder).toMatchObject({ status: 'paid', totals: { subtotal: 2000, discount: 200 } });

    const second = await cart([['CHK-ONCE', 1]], shopper);
    const shown = await ok(await send('GET', `/carts/${second.id}`, undefined, second.headers), 200);
    expect(shown.totals).toMatchObject({ subtotal: 2000, discount: 0 });
    const secondOrder = (await ok(await pay(second))).order;
    expect(secondOrder).toMatchObject({ status: 'paid', totals: { subtotal: 2000, discount: 0 } });
    // Other customers still get it.
    const someoneElse = await cart([['CHK-ONCE', 1]], await account(['customer']));
    expect((await ok(await send('GET', `/carts/${someoneElse.id}`, undefined, someoneElse.headers), 200)).totals).toMatchObject({ discount: 200 });
    await ok(await send('PATCH', `/admin/promotions/${promotion.id}`, { active: false }, bearer(admin)), 200);
  });

  it('shows a total that moved since the cart was last shown (a promotion switched off) with 409 before charging it; checked out again, it is charged', async () => {
    const promotion = await ok(await send('POST', '/admin/promotions', { name: 'Ten off the lamp', kind: 'line_percentage', percentage: 10, targets: { skus: ['CHK-END'] } }, bearer(admin)));
    const c = await cart([['CHK-END', 1]], await account(['customer']));
    await ok(await send('PUT', `/carts/${c.id}/shipping-address`, address, c.headers), 200);
    // The shopper chose everything the total depends on, and reviewed it.
    const shown = await ok(await send('PUT', `/carts/${c.id}/shipping-method`, { methodId: 'standard' }, c.headers), 200);
    expect(shown.totals.discount).toBe(100);
    await ok(await send('PATCH', `/admin/promotions/${promotion.id}`, { active: false }, bearer(admin)), 200);
    const pay = () => checkout(c.headers, { cartId: c.id, payment: { method: 'card', token: 'tok_ok' } });
    const refused = await problem(await pay(), 409);
    expect(refused).toMatchObject({ code: 'CHECKOUT.PRICES_CHANGED', totals: { subtotal: 1000, discount: 0 } });
    expect(refused.totals.total).toBeGreaterThan(shown.totals.total);
    expect((await api.db.query('SELECT count(*)::int AS n FROM orders.orders WHERE cart_id = $1', [c.id])).rows[0].n).toBe(0);
    // The cart now shows the new total; checking out again (a new key: the 409 is that key's answer) charges exactly that.
    expect((await ok(await send('GET', `/carts/${c.id}`, undefined, c.headers), 200)).totals).toEqual(refused.totals);
    const order = (await ok(await pay())).order;
    expect(order).toMatchObject({ status: 'paid', totals: { total: refused.totals.total } });
  });

  it("a guest who used up an automatic promotion by email is shown the full price at checkout (409), then charged it; not stuck", async () => {
    await ok(await send('POST', '/admin/promotions', { name: 'Once per shopper', kind: 'line_percentage', percentage: 10, targets: { skus: ['CHK-GUEST'] }, perCustomerLimit: 1 }, bearer(admin)));
    const email = `guest-${randomUUID()}@example.com`;
    const pay = (c: { id: string; headers: Record<string, string> }) => checkout(c.headers, { cartId: c.id, email, shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } });
    const first = await cart([['CHK-GUEST', 1]]);
    expect((await ok(await pay(first))).order.totals).toMatchObject({ subtotal: 1000, discount: 100 });

    // The cart cannot know the guest (no email yet): it shows the discount.
    const second = await cart([['CHK-GUEST', 1]]);
    expect((await ok(await send('GET', `/carts/${second.id}`, undefined, second.headers), 200)).totals.discount).toBe(100);
    const refused = await problem(await pay(second), 409);
    expect(refused).toMatchObject({ code: 'CHECKOUT.PRICES_CHANGED', totals: { subtotal: 1000, discount: 0 } });
    expect((await ok(await pay(second))).order.totals).toMatchObject({ subtotal: 1000, discount: 0, total: refused.totals.total });
    // Another email still gets it.
    const other = await cart([['CHK-GUEST', 1]]);
    const otherOrder = (await ok(await checkout(other.headers, { cartId: other.id, email: `other-${randomUUID()}@example.com`, shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } }))).order;
    expect(otherOrder.totals.discount).toBe(100);
  });

  it('replays the same Idempotency-Key with the same order and charges once', async () => {
    const c = await cart([['CHK-MUG', 1]]);
    const key = randomUUID();
    const first = await guestCheckout(c, 'tok_ok', key);
    const firstText = await first.text();
    const again = await guestCheckout(c, 'tok_ok', key);
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect(await again.text()).toBe(firstText);
    const { order } = JSON.parse(firstText);
    const rows = (await api.db.query('SELECT count(*)::int AS n FROM orders.orders WHERE cart_id = $1', [c.id])).rows[0];
    expect(rows.n).toBe(1);
    const charges = (await simulator.client.ledger()).payment_intents.filter((p: { metadata?: { orderId?: string } }) => p.metadata?.orderId === order.id);
    expect(charges).toHaveLength(1);
  });

  it('answers a declined card with 402, cancels the order, releases its stock and leaves the cart open for another card', async () => {
    const before = await stock('CHK-DECLINE');
    const c = await cart([['CHK-DECLINE', 3]]);
    const declined = await problem(await guestCheckout(c, 'tok_decline'), 402);
    expect(declined).toMatchObject({ code: 'CHECKOUT.PAYMENT_DECLINED', orderId: expect.any(String), reason: expect.any(String) });
    expect(await stock('CHK-DECLINE')).toEqual(before);
    const [cancelled] = (await api.db.query('SELECT status FROM orders.orders WHERE id = $1', [declined.orderId])).rows;
    expect(cancelled.status).toBe('cancelled');
    const retried = (await ok(await guestCheckout(c, 'tok_ok'))).order;
    expect(retried).toMatchObject({ status: 'paid' });
    expect(retried.id).not.toBe(declined.orderId);
    expect(await stock('CHK-DECLINE')).toEqual({ onHand: before.onHand - 3, reserved: before.reserved });
  });

  it('refuses an empty cart, a cart without address and a guest without email with 422 naming what is missing; no key is 400', async () => {
    const empty = await cart([]);
    expect((await problem(await guestCheckout(empty), 422))).toMatchObject({ code: 'CHECKOUT.INCOMPLETE', missing: ['lines'] });
    const noAddress = await cart([['CHK-MUG', 1]]);
    const missingAddress = await problem(await checkout(noAddress.headers, { cartId: noAddress.id, email: 'g@example.com', payment: { method: 'card', token: 'tok_ok' } }), 422);
    expect(missingAddress).toMatchObject({ code: 'CHECKOUT.INCOMPLETE', missing: ['shippingAddress'] });
    expect(missingAddress.detail).toContain('shippingAddress');
    const noEmail = await problem(await checkout(noAddress.headers, { cartId: noAddress.id, shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } }), 422);
    expect(noEmail).toMatchObject({ code: 'CHECKOUT.INCOMPLETE', missing: ['email'] });
    expect((await problem(await checkout(noAddress.headers, { cartId: noAddress.id, email: 'g@example.com', payment: { method: 'card', token: 'tok_ok' } }, null), 400)).code).toBe('IDEMPOTENCY.KEY_REQUIRED');
    expect((await problem(await checkout(noAddress.headers, { cartId: noAddress.id, email: 'not-an-email', payment: { method: 'card', token: 'tok_ok' } }), 400)).code).toBe('REQUEST.VALIDATION_FAILED');
    expect((await problem(await checkout({}, { cartId: noAddress.id, email: 'g@example.com', shippingAddress: address, payment: { method: 'card', token: 'tok_ok' } }), 404))).toBeTruthy();
    expect((await api.db.query('SELECT count(*)::int AS n FROM orders.orders WHERE cart_id = $1', [noAddress.id])).rows[0].n).toBe(0);
  });

  it('lets an admin move an order along, refuses an invalid transition with 409 listing the allowed ones, cancels a paid order with a refund and keeps notes', async () => {
    const c = await cart([['CHK-MUG', 1]]);
    const order = (await ok(await guestCheckout(c))).order;
    const transition = (to: string, token = admin) => send('POST', `/admin/orders/${order.id}/transitions`, { to, reason: 'test' }, bearer(token));
    expect((await transition('fulfilling', customer.token)).status).toBe(403);
    const invalid = await problem(await transition('delivered'), 409);
    expect(invalid).toMatchObject({ code: 'ORDERS.INVALID_TRANSITION', from: 'paid', to: 'delivered', allowed: ['fulfilling', 'cancelled'] });
    expect((await problem(await transition('refunded'), 409)).allowed).toEqual(['fulfilling', 'cancelled']);
    expect((await problem(await transition('nonsense'), 400)).code).toBe('REQUEST.VALIDATION_FAILED');

    const cancelled = await ok(await send('POST', `/admin/orders/${order.id}/cancel`, { reason: 'customer asked' }, bearer(admin)));
    expect(cancelled.status).toBe('cancelled');
    const refunds = (await simulator.client.ledger()).totals.eur.refunded;
    expect(refunds).toBeGreaterThanOrEqual(order.totals.total);
    expect((await problem(await send('POST', `/admin/orders/${order.id}/cancel`, {}, bearer(admin)), 409)).allowed).toEqual([]);

    const note = await ok(await send('POST', `/admin/orders/${order.id}/notes`, { text: 'Called the customer' }, bearer(admin)));
    expect(note).toMatchObject({ text: 'Called the customer', at: expect.stringMatching(/Z$/) });
    const view = await ok(await send('GET', `/admin/orders/${order.id}`, undefined, bearer(admin)), 200);
    expect(view.transitions.map((t: { from: string | null; to: string }) => [t.from, t.to])).toEqual([[null, 'pending_payment'], ['pending_payment', 'paid'], ['paid', 'cancelled']]);
    expect(view.notes).toEqual([note]);
    const listed = await ok(await send('GET', `/admin/orders?status=cancelled&email=guest@example.com`, undefined, bearer(admin)), 200);
    expect(listed.items.map((o: { id: string }) => o.id)).toContain(order.id);
    expect(listed.items.every((o: { status: string }) => o.status === 'cancelled')).toBe(true);
  });

  it('cancelling a paid order refunds it and puts its sold units back on hand (a returned movement); cancelling again restocks nothing', async () => {
    const inventory = async () => ok(await send('GET', '/admin/inventory/CHK-RETURN?pageSize=50', undefined, bearer(admin)), 200);
    const returned = async () => (await inventory()).movements.items.filter((m: { kind: string }) => m.kind === 'returned');
    const before = await inventory();
    const c = await cart([['CHK-RETURN', 3]]);
    const order = (await ok(await guestCheckout(c))).order;
    expect(await stock('CHK-RETURN')).toEqual({ onHand: before.onHand - 3, reserved: before.reserved });

    expect((await ok(await send('POST', `/admin/orders/${order.id}/cancel`, { reason: 'customer asked' }, bearer(admin)))).status).toBe('cancelled');
    const after = await inventory();
    expect(after).toMatchObject({ onHand: before.onHand, reserved: before.reserved, available: before.available });
    expect(after.movements.items[0]).toMatchObject({ kind: 'returned', location: 'main', onHandDelta: 3, reservedDelta: 0, reason: 'customer asked', reference: order.id });
    expect((await api.db.query(`SELECT status FROM inventory.reservations WHERE reference = $1`, [order.id])).rows).toEqual([{ status: 'returned' }]);
    const [payment] = await ok(await send('GET', `/orders/${order.id}/payments`, undefined, bearer(admin)), 200);
    expect(payment).toMatchObject({ captured: order.totals.total, refunded: order.totals.total });

    expect((await problem(await send('POST', `/admin/orders/${order.id}/cancel`, {}, bearer(admin)), 409)).allowed).toEqual([]);
    // As if the first cancel had stopped before it was marked settled: repeating it finishes without a second restock.
    await api.db.query('UPDATE orders.orders SET settled_at = NULL WHERE id = $1', [order.id]);
    expect((await ok(await send('POST', `/admin/orders/${order.id}/cancel`, {}, bearer(admin)))).status).toBe('cancelled');
    expect(await inventory()).toMatchObject({ onHand: before.onHand, reserved: before.reserved });
    expect(await returned()).toHaveLength(1);
    const [again] = await ok(await send('GET', `/orders/${order.id}/payments`, undefined, bearer(admin)), 200);
    expect(again.refunded).toBe(order.totals.total);
  });

  it('follows refunds made through payments: partially_refunded, then refunded, each transition recorded', async () => {
    const c = await cart([['CHK-MUG', 1]]);
    const order = (await ok(await guestCheckout(c))).order;
    const [payment] = await ok(await send('GET', `/orders/${order.id}/payments`, undefined, bearer(admin)), 200);
    const refund = (amount?: number) => send('POST', `/payments/${payment.id}/refunds`, amount === undefined ? {} : { amount }, { ...bearer(admin), 'idempotency-key': randomUUID() });
    const statusOf = async () => (await ok(await send('GET', `/admin/orders/${order.id}`, undefined, bearer(admin)), 200)).status;
    await ok(await refund(100));
    await eventually(async () => (await statusOf()) === 'partially_refunded');
    await ok(await refund());
    await eventually(async () => (await statusOf()) === 'refunded');
    const view = await ok(await send('GET', `/admin/orders/${order.id}`, undefined, bearer(admin)), 200);
    expect(view.transitions.map((x: { to: string }) => x.to)).toEqual(['pending_payment', 'paid', 'partially_refunded', 'refunded']);
  });

  it('schedules the sweep of pending orders whose payment never settled', async () => {
    const queue = api.app.get<Queue>(getQueueToken(ORDER_EXPIRY_QUEUE), { strict: false });
    await eventually(async () => (await queue.getJobSchedulers()).some((s) => s.key === ORDER_SWEEP_SCHEDULER_ID));
  });

  it('documents checkout and the order routes in the OpenAPI document', async () => {
    const document = await body(await fetch(`${api.url}/docs/openapi.json`));
    const post = document.paths['/api/v1/checkout'].post;
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '202', '402', '409', '422', '503']));
    expect(document.components.schemas.CheckoutDto.required).toEqual(expect.arrayContaining(['cartId', 'payment']));
    for (const path of ['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/orders/lookup', '/api/v1/admin/orders', '/api/v1/admin/orders/{id}/transitions', '/api/v1/admin/orders/{id}/cancel', '/api/v1/admin/orders/{id}/notes']) {
      expect(document.paths[path]).toBeDefined();
    }
  });

  it('never oversells: 200 concurrent checkouts of distinct carts at a SKU with 50 units -> exactly 50 paid, the rest 409 out_of_stock; stock adds up', async () => {
    const carts = [];
    for (let i = 0; i < 200; i++) carts.push(await cart([['CHK-RACE', 1]]));
    const answers = await Promise.all(carts.map((c) => guestCheckout(c)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    const refusals = await Promise.all(answers.filter((a) => a.status === 409).map((a) => body(a)));
    expect(new Set(refusals.map((p: { type: string; code: string }) => `${p.type} ${p.code}`))).toEqual(new Set(['/problems/out-of-stock INVENTORY.OUT_OF_STOCK']));
    expect(await stock('CHK-RACE')).toEqual({ onHand: 0, reserved: 0 });
    const sold = (await api.db.query(`SELECT coalesce(-sum(on_hand_delta), 0)::int AS n FROM inventory.movements WHERE sku = 'CHK-RACE' AND kind = 'sold'`)).rows[0].n;
    expect(sold).toBe(50);
    const paid = (await api.db.query(`SELECT count(*)::int AS n FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id WHERE l.sku = 'CHK-RACE' AND o.status = 'paid'`)).rows[0].n;
    expect(paid).toBe(50);
  }, 120_000);
});

describe('checkout when the payment outcome is unknown: 503 (resumable), then reconciliation or expiry settles the order', () => {
  const { t, cart, guestCheckout, stock, start, stop } = shop();
  const orderOf = async (id: string) => (await t.api.db.query('SELECT status, settled_at FROM orders.orders WHERE id = $1', [id])).rows[0];
  /** The 503 names no order: the cart's one live order is the pending one. */
  const pendingOrderOf = async (cartId: string) => (await t.api.db.query(`SELECT id, status FROM orders.orders WHERE cart_id = $1`, [cartId])).rows[0];

  beforeAll(async () => {
    // The breaker stays closed here: this is about a provider that answers too late, not one that is down.
    // Reservations of 1 s: the payment outlives its reservation, and unpaid orders expire within the test.
    await start(
      { PAYMENTS_GATEWAY_TIMEOUT_MS: '300', PAYMENTS_RETRY_ATTEMPTS: '2', PAYMENTS_RETRY_BUDGET_MS: '1500', PAYMENTS_BREAKER_MIN_RPS: '1000', INVENTORY_RESERVATION_TTL_MS: '1000' },
      [['CHK-SLOW', 900, 10]],
    );
  }, 60_000);
  afterAll(stop);

  it('answers 503 with Retry-After when the provider does not answer in time, the order pending; reconciliation makes it paid through the payment event', async () => {
    const before = await stock('CHK-SLOW');
    const c = await cart([['CHK-SLOW', 1]]);
    await t.simulator.client.faults({ latencyMs: 900 });
    const response = await guestCheckout(c);
    expect([response.status, (await body(response)).code, Number(response.headers.get('retry-after'))]).toEqual([503, 'PAYMENTS.OUTCOME_UNKNOWN', expect.any(Number)]);
    const order = await pendingOrderOf(c.id);
    expect(order.status).toBe('pending_payment');
    await t.simulator.client.faults({});
    // The charge went through at the provider after the timeout; reconciliation learns it by key.
    await eventually(async () => (await t.simulator.client.ledger()).payment_intents.length === 1, 5000);
    await t.api.app.get(PaymentsReconciler, { strict: false }).run(0);
    await eventually(async () => (await orderOf(order.id)).status === 'paid' && (await orderOf(order.id)).settled_at !== null, 10_000);
    // Sold either way: committed in time, or (reservation expired first) reserved again and committed.
    const reservations = (await t.api.db.query(`SELECT status FROM inventory.reservations WHERE reference = $1`, [order.id])).rows;
    expect(reservations).toContainEqual({ status: 'committed' });
    expect(await stock('CHK-SLOW')).toEqual({ onHand: before.onHand - 1, reserved: 0 });
  });

  it('cancels an order whose payment was never charged once its reservation ran out (payment_timeout), the stock back', async () => {
    const before = await stock('CHK-SLOW');
    const c = await cart([['CHK-SLOW', 2]]);
    await t.simulator.client.faults({ timeoutRate: 1, timeoutHoldMs: 100 });
    const response = await guestCheckout(c);
    expect(response.status).toBe(503);
    const order = await pendingOrderOf(c.id);
    await t.simulator.client.faults({});
    await t.api.app.get(PaymentsReconciler, { strict: false }).run(0);
    // The delayed check runs at the reservation's TTL plus a margin (about 6 s here).
    await eventually(async () => (await orderOf(order.id)).status === 'cancelled', 20_000);
    // By the check of its placement window (the sweep runs once a minute).
    const expiryQueue = t.api.app.get<Queue>(getQueueToken(ORDER_EXPIRY_QUEUE), { strict: false });
    expect((await expiryQueue.getJobs(['completed'])).some((job) => job.name === 'check-placed' && job.returnvalue?.checked >= 1)).toBe(true);
    const [last] = (await t.api.db.query(`SELECT reason FROM orders.order_transitions WHERE order_id = $1 ORDER BY id DESC LIMIT 1`, [order.id])).rows;
    expect(last.reason).toBe('payment_timeout');
    expect(await stock('CHK-SLOW')).toEqual(before);
    expect((await t.simulator.client.ledger()).payment_intents.filter((p: { metadata?: { orderId?: string } }) => p.metadata?.orderId === order.id)).toHaveLength(0);
  }, 30_000);
});

describe('checkout while the payment breaker is open: 503 with Retry-After, one live order per cart, and the retry with the same key pays that order', () => {
  const { t, ok, problem, cart, guestCheckout, stock, start, stop } = shop();

  beforeAll(async () => {
    await start(
      { PAYMENTS_GATEWAY_TIMEOUT_MS: '300', PAYMENTS_RETRY_ATTEMPTS: '1', PAYMENTS_BREAKER_MIN_RPS: '0.1', PAYMENTS_BREAKER_HALF_OPEN_MS: '500' },
      [['CHK-FLAKY', 900, 50]],
    );
  }, 60_000);
  afterAll(stop);

  it('keeps the order pending_payment with its stock while the breaker is open, then finishes that order on a retry', async () => {
    await t.simulator.client.faults({ errorRate: 1 });
    // Failing payments (each an order left pending, outcome unknown) until the breaker opens; bounded.
    let refused: { response: Response; cart: Awaited<ReturnType<typeof cart>>; key: string } | null = null;
    for (let i = 0; i < 20 && !refused; i++) {
      const c = await cart([['CHK-FLAKY', 1]]);
      const key = randomUUID();
      const response = await guestCheckout(c, 'tok_ok', key);
      const { code } = await problem(response, 503);
      if (code === 'PAYMENTS.UNAVAILABLE') refused = { response, cart: c, key };
      else expect(code).toBe('PAYMENTS.OUTCOME_UNKNOWN');
    }
    expect(refused).not.toBeNull();
    const { response, cart: c, key } = refused!;
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const [pending] = (await t.api.db.query('SELECT id, status FROM orders.orders WHERE cart_id = $1', [c.id])).rows;
    expect(pending.status).toBe('pending_payment');
    expect((await t.api.db.query(`SELECT status FROM inventory.reservations WHERE reference = $1`, [pending.id])).rows).toEqual([{ status: 'active' }]);
    const before = await stock('CHK-FLAKY');
    const another = await problem(await guestCheckout(c, 'tok_ok', randomUUID()), 409);
    expect(another).toMatchObject({ code: 'CHECKOUT.CART_HAS_ORDER', orderId: pending.id, orderStatus: 'pending_payment' });
    expect(await stock('CHK-FLAKY')).toEqual(before);

    await t.simulator.client.faults({});
    let retried: Response | undefined;
    await eventually(async () => (retried = await guestCheckout(c, 'tok_ok', key)).status !== 503, 10_000);
    const resumed = (await ok(retried!)).order;
    expect(resumed).toMatchObject({ id: pending.id, status: 'paid' });
    expect(await stock('CHK-FLAKY')).toEqual({ onHand: before.onHand - 1, reserved: before.reserved - 1 });
    expect((await t.api.db.query('SELECT count(*)::int AS n FROM orders.orders WHERE cart_id = $1', [c.id])).rows[0].n).toBe(1);
    const charges = (await t.simulator.client.ledger()).payment_intents.filter((p: { metadata?: { orderId?: string } }) => p.metadata?.orderId === pending.id);
    expect(charges).toHaveLength(1);
  });
});
