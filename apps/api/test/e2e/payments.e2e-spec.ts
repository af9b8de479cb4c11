import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { anonymousContext, IDENTITY_API, type IdentityApi, PAYMENTS_API, type PaymentsApi } from '#contracts';
import { body, eventually } from '#testing';
import { startSimulator } from '../../../../libs/devtools/src/gateway-simulator/simulator-test-kit.js';
import { PaymentsReconciler } from '../../src/modules/payments/jobs/payments-reconciler.js';
import { PAYMENTS_RECONCILE_QUEUE } from '../../src/modules/payments/jobs/reconcile-payments.processor.js';
import { PaymentsRepository } from '../../src/modules/payments/payments.repository.js';
import { startApi } from './api-harness.js';

describe('payments: authorize, refund, replays, unknown outcomes and the breaker (real simulator, PostgreSQL)', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let customer: string;
  let other: string;

  beforeAll(async () => {
    simulator = await startSimulator();
    api = await startApi({
      env: {
        GATEWAY_SIMULATOR_URL: simulator.client.url,
        PAYMENTS_GATEWAY_TIMEOUT_MS: '400',
        PAYMENTS_RETRY_ATTEMPTS: '3',
        PAYMENTS_RETRY_BUDGET_MS: '2000',
        PAYMENTS_BREAKER_MIN_RPS: '0.5',
        PAYMENTS_BREAKER_HALF_OPEN_MS: '60000',
        PAYMENTS_RECONCILE_EVERY_MS: '3600000',
      },
    });
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const account = async (roles: ('customer' | 'admin')[]) =>
      (await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'payments password', roles })).tokens.accessToken;
    admin = await account(['customer', 'admin']);
    customer = await account(['customer']);
    other = await account(['customer']);
  });
  afterAll(async () => {
    await api?.close();
    await simulator?.close();
  });
  beforeEach(() => simulator.client.call('POST', '/_control/reset'));

  const send = (method: string, path: string, payload?: unknown, token = customer, key: string | null = randomUUID()) =>
    fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' && key ? { 'idempotency-key': key } : {}),
      },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const pay = (overrides: Record<string, unknown> = {}, key: string = randomUUID()) =>
    send('POST', '/payments', { orderId: randomUUID(), amount: 5000, currency: 'EUR', token: 'tok_ok', ...overrides }, customer, key);
  const ledger = () => simulator.client.ledger();
  const repository = () => api.app.get(PaymentsRepository, { strict: false });
  const eventsOf = async (paymentId: string) =>
    (await api.db.query(`SELECT name, payload FROM platform.outbox_events WHERE payload->>'paymentId' = $1 ORDER BY occurred_at, name`, [paymentId])).rows;

  it('captures at once in immediate mode and lists the payment for its owner and admins only', async () => {
    const orderId = randomUUID();
    const response = await pay({ orderId });
    expect(response.status).toBe(201);
    const payment = await body(response);
    expect(payment).toMatchObject({ orderId, amount: 5000, currency: 'EUR', captured: 5000, refunded: 0, state: 'captured', captureMode: 'immediate' });
    expect((await ledger()).totals.eur.captured).toBe(5000);
    expect(await body(await send('GET', `/orders/${orderId}/payments`))).toEqual([payment]);
    expect(await body(await send('GET', `/orders/${orderId}/payments`, undefined, admin))).toEqual([payment]);
    expect(await body(await send('GET', `/orders/${orderId}/payments`, undefined, other))).toEqual([]);
    expect((await eventsOf(payment.id)).map((e: { name: string }) => e.name)).toEqual(['payments.payment-authorized', 'payments.payment-captured']);
    const history = await api.db.query('SELECT from_state, to_state FROM payments.payment_history WHERE payment_id = $1 ORDER BY id', [payment.id]);
    expect(history.rows).toEqual([{ from_state: null, to_state: 'pending' }, { from_state: 'pending', to_state: 'captured' }]);
  });

  it('answers a decline with 422 PAYMENTS.DECLINED and a failed payment, replayed for the same key', async () => {
    const key = randomUUID();
    const orderId = randomUUID();
    const response = await pay({ orderId, token: 'tok_insufficient' }, key);
    expect(response.status).toBe(422);
    const problem = await body(response);
    expect(problem).toMatchObject({ code: 'PAYMENTS.DECLINED', declineCode: 'insufficient_funds' });
    const again = await pay({ orderId, token: 'tok_insufficient' }, key);
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([422, 'true']);
    const [payment] = await body(await send('GET', `/orders/${orderId}/payments`));
    expect(payment).toMatchObject({ id: problem.paymentId, state: 'failed', captured: 0 });
    expect((await ledger()).payment_intents).toHaveLength(1);
  });

  it('refuses bad input with 400 and a missing Idempotency-Key with 400', async () => {
    expect((await pay({ amount: 12.5 })).status).toBe(400);
    expect((await pay({ amount: 0 })).status).toBe(400);
    expect((await pay({ currency: 'euro' })).status).toBe(400);
    expect((await pay({ orderId: 'nope' })).status).toBe(400);
    const noKey = await send('POST', '/payments', { orderId: randomUUID(), amount: 100, currency: 'EUR', token: 'tok_ok' }, customer, null);
    expect(await body(noKey)).toMatchObject({ status: 400, code: 'IDEMPOTENCY.KEY_REQUIRED' });
    expect((await ledger()).payment_intents).toHaveLength(0);
  });

  it('refuses a malformed Idempotency-Key on payment and refund creation with 400, charging and refunding nothing', async () => {
    const payment = await body(await pay());
    for (const key of ['x'.repeat(256), 'has space', '"unterminated']) {
      const paid = await pay({}, key);
      expect([key, paid.status, (await body(paid)).code]).toEqual([key, 400, 'IDEMPOTENCY.KEY_MALFORMED']);
      const refunded = await send('POST', `/payments/${payment.id}/refunds`, { amount: 100 }, admin, key);
      expect([key, refunded.status, (await body(refunded)).code]).toEqual([key, 400, 'IDEMPOTENCY.KEY_MALFORMED']);
    }
    expect((await ledger()).payment_intents).toHaveLength(1);
    expect((await ledger()).refunds).toHaveLength(0);
  });

  it('never charges twice for one key: HTTP replays, and the contract called again with the same key', async () => {
    const key = randomUUID();
    const orderId = randomUUID();
    const first = await pay({ orderId }, key);
    const second = await pay({ orderId }, key);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    const payments = api.app.get<PaymentsApi>(PAYMENTS_API, { strict: false });
    const ctx = { ...anonymousContext('t'), userId: randomUUID(), roles: ['system'] };
    const input = { orderId, amount: 700, currency: 'EUR', token: 'tok_ok', idempotencyKey: randomUUID() };
    const [a, b] = await Promise.all([payments.authorize(ctx, input), payments.authorize(ctx, input)]);
    expect(a.id).toBe(b.id);
    const again = await payments.authorize(ctx, input);
    expect(again).toMatchObject({ id: a.id, state: 'captured' });
    await expect(payments.authorize(ctx, { ...input, amount: 701 })).rejects.toMatchObject({ code: 'PAYMENTS.KEY_REUSED' });
    expect((await ledger()).payment_intents).toHaveLength(2);
  });

  it('lets concurrent refunds together take no more than was captured', async () => {
    const payment = await body(await pay({ amount: 5000 }));
    const answers = await Promise.all([1, 2, 3].map(() => send('POST', `/payments/${payment.id}/refunds`, { amount: 2000 }, admin)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 422]);
    expect((await ledger()).totals.eur.refunded).toBe(4000);
  });

  it('schedules the reconciliation job', async () => {
    const queue = api.app.get<Queue>(getQueueToken(PAYMENTS_RECONCILE_QUEUE), { strict: false });
    await eventually(async () => (await queue.getJobSchedulers()).some((s) => s.key === 'reconcile-payments'));
  });

  it('refunds in full and in part, never more than captured (422), nothing for an unpaid payment (409), admins only', async () => {
    const payment = await body(await pay({ amount: 5000 }));
    const refund = (amount?: number, token = admin, id = payment.id) => send('POST', `/payments/${id}/refunds`, amount === undefined ? {} : { amount }, token);
    expect((await refund(100, customer)).status).toBe(403);
    const partial = await refund(2000);
    expect(partial.status).toBe(201);
    expect(await body(partial)).toMatchObject({ paymentId: payment.id, amount: 2000, state: 'succeeded' });
    const tooMuch = await refund(3001);
    expect([tooMuch.status, (await body(tooMuch)).code]).toEqual([422, 'PAYMENTS.REFUND_EXCEEDS_CAPTURED']);
    expect(await body(await refund())).toMatchObject({ amount: 3000, state: 'succeeded' });
    const [after] = await body(await send('GET', `/orders/${payment.orderId}/payments`));
    expect(after).toMatchObject({ captured: 5000, refunded: 5000, state: 'refunded' });
    expect((await refund(1)).status).toBe(422);
    expect((await ledger()).totals.eur).toMatchObject({ captured: 5000, refunded: 5000 });
    const refundEvents = (await eventsOf(payment.id)).filter((e: { name: string }) => e.name === 'payments.payment-refunded');
    expect(refundEvents.map((e: { payload: { refunded: number } }) => e.payload.refunded).sort()).toEqual([2000, 5000]);

    const declined = await body(await pay({ token: 'tok_decline' }));
    const unpaid = await refund(100, admin, declined.paymentId);
    expect([unpaid.status, (await body(unpaid)).code]).toEqual([409, 'PAYMENTS.NOT_PAID']);
    expect((await refund(100, admin, randomUUID())).status).toBe(404);
  });

  it('recovers a lost response by retrying with the same provider key: one charge', async () => {
    await simulator.client.faults({ lostResponseRate: 1 });
    const response = await pay();
    expect(response.status).toBe(201);
    expect(await body(response)).toMatchObject({ state: 'captured' });
    expect((await ledger()).payment_intents).toHaveLength(1);
  });

  it('marks an unanswered attempt unknown (503), reconciles it by key, and a retry gets the settled payment', async () => {
    await simulator.client.faults({ latencyMs: 1200 });
    const key = randomUUID();
    const orderId = randomUUID();
    const response = await pay({ orderId }, key);
    expect(response.status).toBe(503);
    const problem = await body(response);
    expect(problem.code).toBe('PAYMENTS.OUTCOME_UNKNOWN');
    expect(response.headers.get('retry-after')).toBeTruthy();
    const [attempt] = await repository().attemptsOf(problem.paymentId);
    expect(attempt).toMatchObject({ state: 'unknown', kind: 'authorize' });
    await simulator.client.faults({});
    await eventually(async () => (await ledger()).payment_intents.length === 1, 5000);
    expect((await ledger()).payment_intents[0].idempotency_key).toBe(attempt!.providerKey);

    const report = await api.app.get(PaymentsReconciler, { strict: false }).run(0);
    expect(report).toMatchObject({ settled: 1, stillUnknown: 0 });
    expect(await repository().attemptsOf(problem.paymentId)).toEqual([expect.objectContaining({ state: 'succeeded', providerKey: attempt!.providerKey })]);
    const retried = await pay({ orderId }, key);
    expect([retried.status, (await body(retried)).state]).toEqual([201, 'captured']);
    expect((await ledger()).payment_intents).toHaveLength(1);
  });

  it('settles an attempt as not charged when the provider has nothing for its key', async () => {
    await simulator.client.faults({ timeoutRate: 1, timeoutHoldMs: 100 });
    const response = await pay();
    expect(response.status).toBe(503);
    const { paymentId } = await body(response);
    await simulator.client.faults({});
    await api.app.get(PaymentsReconciler, { strict: false }).run(0);
    expect(await repository().attemptsOf(paymentId)).toEqual([expect.objectContaining({ state: 'failed' })]);
    expect((await ledger()).payment_intents).toHaveLength(0);
  });

  it('never opens the breaker on declines, opens it on transient errors, then answers 503 without calling the provider', async () => {
    for (let i = 0; i < 8; i++) expect((await pay({ token: 'tok_decline' })).status).toBe(422);
    expect(await breakerGauge()).toBe(0);
    expect((await pay()).status).toBe(201);

    await simulator.client.faults({ errorRate: 1 });
    // Earlier successes in the window dilute the failure share: fail until it opens (bounded).
    for (let i = 0; i < 20 && (await breakerGauge()) !== 1; i++) expect((await pay()).status).toBe(503);
    expect(await breakerGauge()).toBe(1);
    const before = (await ledger()).payment_intents.length;
    // How fast this answers is a benchmark's question (house rule: no timed tests); here, what it answers.
    await simulator.client.faults({});
    for (let i = 0; i < 5; i++) {
      const response = await pay();
      expect([response.status, (await body(response)).code]).toEqual([503, 'PAYMENTS.UNAVAILABLE']);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await ledger()).payment_intents).toHaveLength(before);
  });

  async function breakerGauge(): Promise<number> {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('payment_gateway_breaker_state{provider="simulator"}'));
    return Number(line?.split(' ').pop());
  }
});

describe('payments in on_fulfilment capture mode: authorize, then capture or void through PAYMENTS_API', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let api: Awaited<ReturnType<typeof startApi>>;
  let payments: PaymentsApi;
  const ctx = { ...anonymousContext('t'), userId: randomUUID(), roles: ['system'] };
  const authorize = () => payments.authorize(ctx, { orderId: randomUUID(), amount: 2500, currency: 'EUR', token: 'tok_ok', idempotencyKey: randomUUID() });

  beforeAll(async () => {
    simulator = await startSimulator();
    api = await startApi({ env: { GATEWAY_SIMULATOR_URL: simulator.client.url, PAYMENTS_CAPTURE_MODE: 'on_fulfilment', PAYMENTS_RECONCILE_EVERY_MS: '3600000' } });
    payments = api.app.get<PaymentsApi>(PAYMENTS_API, { strict: false });
  });
  afterAll(async () => {
    await api?.close();
    await simulator?.close();
  });

  it('authorizes without capturing, refuses to refund before capture (409), then captures', async () => {
    const payment = await authorize();
    expect(payment).toMatchObject({ state: 'authorized', captured: 0, captureMode: 'on_fulfilment' });
    await expect(payments.refund(ctx, { paymentId: payment.id, idempotencyKey: randomUUID() })).rejects.toMatchObject({ code: 'PAYMENTS.NOT_PAID' });
    expect(await payments.capture(ctx, { paymentId: payment.id })).toMatchObject({ state: 'captured', captured: 2500 });
    await expect(payments.capture(ctx, { paymentId: payment.id })).rejects.toMatchObject({ code: 'PAYMENTS.INVALID_STATE' });
    expect((await simulator.client.ledger()).totals.eur).toMatchObject({ captured: 2500 });
  });

  it('voids an authorization, which then cannot be captured', async () => {
    const payment = await authorize();
    expect(await payments.void(ctx, { paymentId: payment.id })).toMatchObject({ state: 'voided', captured: 0 });
    await expect(payments.capture(ctx, { paymentId: payment.id })).rejects.toMatchObject({ code: 'PAYMENTS.INVALID_STATE' });
    const intent = (await simulator.client.ledger()).payment_intents.find((i: { metadata: { paymentId: string } }) => i.metadata.paymentId === payment.id);
    expect(intent.status).toBe('canceled');
  });
});
