import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body, eventually } from '#testing';
import { startSimulator } from '../../../../libs/devtools/src/gateway-simulator/simulator-test-kit.js';
import { signWebhook } from '../../../../libs/devtools/src/gateway-simulator/webhooks.js';
import { PaymentsReconciler } from '../../src/modules/payments/jobs/payments-reconciler.js';
import { WEBHOOK_EVENTS_KEPT_DAYS } from '../../src/modules/payments/jobs/reconcile-payments.processor.js';
import { notCharged } from '../../src/modules/payments/payment-state.js';
import { type Begun, PaymentsRepository } from '../../src/modules/payments/payments.repository.js';
import { startApi } from './api-harness.js';

const SECRET = 'whsec_e2e_webhooks_secret';

describe('payments webhooks: signed, deduplicated by event id, safe out of order, same state machine (real simulator)', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let hookUrl: string;

  beforeAll(async () => {
    simulator = await startSimulator();
    api = await startApi({
      env: {
        GATEWAY_SIMULATOR_URL: simulator.client.url,
        PAYMENTS_SIMULATOR_WEBHOOK_SECRET: SECRET,
        PAYMENTS_GATEWAY_TIMEOUT_MS: '400',
        PAYMENTS_RETRY_ATTEMPTS: '1',
        PAYMENTS_RECONCILE_EVERY_MS: '3600000',
        PAYMENTS_RECONCILE_AFTER_MS: '3600000',
      },
    });
    hookUrl = `${api.url}/api/v1/payments/webhooks/simulator`;
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    admin = (await identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'webhooks password', roles: ['customer', 'admin'] })).tokens.accessToken;
  });
  afterAll(async () => {
    await api?.close();
    await simulator?.close();
  });
  beforeEach(async () => {
    await simulator.client.call('POST', '/_control/reset');
    await simulator.client.call('PUT', '/_control/webhook', { url: hookUrl, secret: SECRET });
  });

  const pay = async (key = randomUUID()) =>
    fetch(`${api.url}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ orderId: randomUUID(), amount: 5000, currency: 'EUR', token: 'tok_ok' }),
    });
  const refund = (paymentId: string, amount: number) =>
    fetch(`${api.url}/api/v1/payments/${paymentId}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ amount }),
    });
  const post = (raw: string, signature?: string, provider = 'simulator') =>
    fetch(`${api.url}/api/v1/payments/webhooks/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'ficus-signature': signature } : {}) },
      body: raw,
    });
  const signed = (event: unknown, secret = SECRET, at = Math.floor(Date.now() / 1000)) => {
    const raw = JSON.stringify(event);
    return post(raw, signWebhook(secret, raw, at));
  };
  const snapshot = async (paymentId: string) => ({
    payment: (await api.db.query('SELECT state, captured, refunded FROM payments.payments WHERE id = $1', [paymentId])).rows[0],
    events: (await api.db.query(`SELECT name FROM platform.outbox_events WHERE payload->>'paymentId' = $1 ORDER BY occurred_at, name`, [paymentId])).rows.map((r: { name: string }) => r.name),
    history: Number((await api.db.query('SELECT count(*) FROM payments.payment_history WHERE payment_id = $1', [paymentId])).rows[0].count),
  });
  const webhookRows = async (paymentId: string) =>
    (await api.db.query('SELECT event_id, type, outcome FROM payments.webhook_events WHERE payment_id = $1 ORDER BY received_at', [paymentId])).rows;
  const deliveries = async () => (await simulator.client.get('/_control/webhook')).body.deliveries as Array<{ event: string; type: string; status: number }>;
  const intentOf = async (paymentId: string) =>
    (await simulator.client.ledger()).payment_intents.find((i: { metadata: { paymentId: string } }) => i.metadata.paymentId === paymentId);

  it('settles an attempt whose answer timed out, from the webhook alone, with the same events as a synchronous answer', async () => {
    await simulator.client.faults({ latencyMs: 1200 });
    const response = await pay();
    expect(response.status).toBe(503);
    const { paymentId } = await body(response);
    await eventually(async () => (await webhookRows(paymentId)).some((r: { outcome: string }) => r.outcome === 'applied'), 10_000);
    const repository = api.app.get(PaymentsRepository, { strict: false });
    expect(await repository.attemptsOf(paymentId)).toEqual([expect.objectContaining({ kind: 'authorize', state: 'succeeded' })]);
    expect(await snapshot(paymentId)).toEqual({
      payment: { state: 'captured', captured: 5000, refunded: 0 },
      events: ['payments.payment-authorized', 'payments.payment-captured'],
      history: 2,
    });
  });

  it('acknowledges a webhook that tells what the synchronous answer already applied, and changes nothing', async () => {
    const payment = await body(await pay());
    await eventually(async () => (await deliveries()).some((d) => d.status === 200), 10_000);
    expect(await webhookRows(payment.id)).toEqual([expect.objectContaining({ type: 'payment_intent.succeeded', outcome: 'ignored' })]);
    expect((await snapshot(payment.id)).events).toEqual(['payments.payment-authorized', 'payments.payment-captured']);
  });

  it('applies a refund made at the provider once; the replayed event is 200 and changes nothing twice', async () => {
    const payment = await body(await pay());
    await eventually(async () => (await deliveries()).length === 1, 10_000);
    const intent = await intentOf(payment.id);
    expect((await simulator.client.post('/v1/refunds', { payment_intent: intent.id, amount: 1500 })).status).toBe(200);
    await eventually(async () => (await deliveries()).length === 2, 10_000);
    const after = await snapshot(payment.id);
    expect(after.payment).toEqual({ state: 'partially_refunded', captured: 5000, refunded: 1500 });
    expect(after.events.filter((name: string) => name === 'payments.payment-refunded')).toHaveLength(1);

    const refundEvent = (await deliveries()).find((d) => d.type === 'charge.refunded')!.event;
    expect((await simulator.client.call('POST', `/_control/webhook/events/${refundEvent}/resend`)).status).toBe(202);
    await eventually(async () => (await deliveries()).length === 3, 10_000);
    expect((await deliveries())[2]).toMatchObject({ event: refundEvent, status: 200 });
    expect(await snapshot(payment.id)).toEqual(after);
    expect((await webhookRows(payment.id)).filter((r: { event_id: string }) => r.event_id === refundEvent)).toHaveLength(1);
  });

  it('answers a duplicate delivered directly with 200 and outcome duplicate', async () => {
    const payment = await body(await pay());
    const intent = await intentOf(payment.id);
    const event = { id: `evt_${randomUUID()}`, object: 'event', type: 'charge.refunded', created: 0, data: { object: { ...intent, amount_refunded: 100, status: 'partially_refunded' }, refund: { amount: 100 } } };
    const first = await signed(event);
    expect([first.status, (await body(first)).outcome]).toEqual([200, 'applied']);
    const again = await signed(event);
    expect([again.status, (await body(again)).outcome]).toEqual([200, 'duplicate']);
    expect((await snapshot(payment.id)).payment).toEqual({ state: 'partially_refunded', captured: 5000, refunded: 100 });
  });

  it('ignores an older event after a newer state (200), whatever order they come in', async () => {
    const payment = await body(await pay());
    expect((await refund(payment.id, 5000)).status).toBe(201);
    const before = await snapshot(payment.id);
    expect(before.payment.state).toBe('refunded');
    const intent = await intentOf(payment.id);
    const stale = (type: string, object: object) => ({ id: `evt_${randomUUID()}`, object: 'event', type, created: 0, data: { object: { ...intent, ...object } } });
    for (const event of [
      stale('payment_intent.succeeded', { status: 'captured', amount_refunded: 0 }),
      stale('payment_intent.amount_capturable_updated', { status: 'authorized', amount_captured: 0, amount_refunded: 0 }),
      stale('payment_intent.payment_failed', { status: 'declined', amount_captured: 0, amount_refunded: 0 }),
      stale('charge.refunded', { status: 'partially_refunded', amount_refunded: 2000 }),
    ]) {
      const response = await signed(event);
      expect([event.type, response.status, (await body(response)).outcome]).toEqual([event.type, 200, 'ignored']);
    }
    expect(await snapshot(payment.id)).toEqual(before);
  });

  it('refuses a bad, missing or stale signature with 400 problem+json, and nothing changes', async () => {
    const payment = await body(await pay());
    const before = await snapshot(payment.id);
    const rowsBefore = await webhookRows(payment.id);
    const intent = await intentOf(payment.id);
    const event = { id: `evt_${randomUUID()}`, object: 'event', type: 'charge.refunded', created: 0, data: { object: { ...intent, amount_refunded: 5000, status: 'refunded' }, refund: { amount: 5000 } } };
    const raw = JSON.stringify(event);
    const answers = [
      await signed(event, 'whsec_not_the_secret'),
      await signed(event, SECRET, Math.floor(Date.now() / 1000) - 600),
      await post(raw),
      await post(raw.replace('"amount_refunded":5000', '"amount_refunded":4999'), signWebhook(SECRET, raw, Math.floor(Date.now() / 1000))),
    ];
    for (const response of answers) {
      expect([response.status, response.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/problem+json')]);
      expect(await body(response)).toMatchObject({ status: 400, code: 'PAYMENTS.WEBHOOK_SIGNATURE_INVALID' });
    }
    expect(await snapshot(payment.id)).toEqual(before);
    expect(await webhookRows(payment.id)).toEqual(rowsBefore);
    expect((await api.db.query('SELECT count(*)::int AS n FROM payments.webhook_events WHERE event_id = $1', [event.id])).rows[0].n).toBe(0);
  });

  it('forgets event ids after 30 days, keeping the recent ones', async () => {
    const [old, recent] = [`evt_old_${randomUUID()}`, `evt_recent_${randomUUID()}`];
    await api.db.query(
      `INSERT INTO payments.webhook_events (provider, event_id, type, outcome, received_at) VALUES
         ('simulator', $1, 'x', 'ignored', now() - interval '31 days'), ('simulator', $2, 'x', 'ignored', now() - interval '29 days')`,
      [old, recent],
    );
    expect(await api.app.get(PaymentsRepository, { strict: false }).purgeWebhookEvents(WEBHOOK_EVENTS_KEPT_DAYS)).toBeGreaterThanOrEqual(1);
    const left = await api.db.query('SELECT event_id FROM payments.webhook_events WHERE event_id = ANY($1)', [[old, recent]]);
    expect(left.rows).toEqual([{ event_id: recent }]);
  });

  it('releases a charge the provider made for an attempt settled as never charged, and leaves the payment alone', async () => {
    // As after a lost race: the attempt was looked up (no charge yet) and settled failed, then its call charged after all.
    const repository = api.app.get(PaymentsRepository, { strict: false });
    const begun = (await repository.beginAuthorize(
      { orderId: randomUUID(), createdBy: null, requestKey: randomUUID(), amount: 5000, currency: 'EUR', captureMode: 'immediate' },
      'simulator',
    )) as Begun;
    const paymentId = begun.payment.id;
    await repository.settle(begun.attempt.id, { state: 'failed', error: 'provider has no charge for this key' }, () => notCharged());
    const before = await snapshot(paymentId);
    expect(before.payment).toEqual({ state: 'failed', captured: 0, refunded: 0 });

    const late = await simulator.client.post('/v1/payment_intents', { amount: 5000, currency: 'eur', token: 'tok_ok', capture_method: 'automatic', metadata: { paymentId } }, begun.attempt.providerKey);
    expect(late.status).toBe(200);
    await eventually(async () => (await webhookRows(paymentId)).some((r: { outcome: string }) => r.outcome === 'stray'), 10_000);
    const release = (await repository.attemptsOf(paymentId)).find((a) => a.kind === 'refund_stray');
    expect(release).toMatchObject({ state: 'pending', amount: 5000, providerRef: late.body.id });
    // Another event about the same charge queues nothing twice.
    const intent = await intentOf(paymentId);
    expect((await signed({ id: `evt_${randomUUID()}`, object: 'event', type: 'payment_intent.succeeded', created: 0, data: { object: intent } })).status).toBe(200);
    expect((await repository.attemptsOf(paymentId)).filter((a) => a.kind === 'refund_stray')).toHaveLength(1);

    // The reconciler refunds it with the release attempt's own key; the provider's refund event is not ours either.
    await api.app.get(PaymentsReconciler, { strict: false }).run(0);
    expect((await repository.attemptsOf(paymentId)).find((a) => a.kind === 'refund_stray')).toMatchObject({ state: 'succeeded' });
    expect(await intentOf(paymentId)).toMatchObject({ id: late.body.id, status: 'refunded', amount_refunded: 5000 });
    await eventually(async () => (await webhookRows(paymentId)).some((r: { type: string }) => r.type === 'charge.refunded'), 10_000);
    expect(await snapshot(paymentId)).toEqual(before);
    expect((await webhookRows(paymentId)).map((r: { outcome: string }) => r.outcome)).toEqual(['stray', 'stray', 'ignored']);
  });

  it('answers 404 for a provider it takes no webhooks from', async () => {
    const response = await post('{}', 't=1,v1=00', 'stripe');
    expect([response.status, (await body(response)).code]).toEqual([404, 'PAYMENTS.WEBHOOK_PROVIDER_UNKNOWN']);
  });
});

describe('payments webhooks with PAYMENTS_PROVIDER=stripe: Stripe-Signature checked on the raw body', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  const secret = 'whsec_e2e_stripe_secret';

  beforeAll(async () => {
    api = await startApi({ env: { PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_e2e_unused', STRIPE_WEBHOOK_SECRET: secret, PAYMENTS_RECONCILE_EVERY_MS: '3600000' } });
  });
  afterAll(() => api?.close());

  const post = (provider: string, raw: string, signature: string) =>
    fetch(`${api.url}/api/v1/payments/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: raw });

  it('takes a signed event once (an unknown payment is unmatched), refuses a bad signature, and takes nothing from the simulator', async () => {
    const raw = JSON.stringify({ id: `evt_${randomUUID()}`, object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_unknown', object: 'payment_intent', status: 'succeeded', amount_received: 100, metadata: {}, latest_charge: null } } });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: raw, secret });
    const first = await post('stripe', raw, signature);
    expect([first.status, (await body(first)).outcome]).toEqual([200, 'unmatched']);
    const again = await post('stripe', raw, signature);
    expect([again.status, (await body(again)).outcome]).toEqual([200, 'duplicate']);
    const forged = await post('stripe', raw, Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: 'whsec_forged' }));
    expect([forged.status, (await body(forged)).code]).toEqual([400, 'PAYMENTS.WEBHOOK_SIGNATURE_INVALID']);
    expect((await post('simulator', raw, signature)).status).toBe(404);
  });
});
