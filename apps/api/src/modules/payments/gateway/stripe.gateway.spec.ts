import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayDeclinedError, GatewayKeyConflictError, GatewayRejectedError, GatewayTransientError } from './payment-gateway.js';
import { StripeGateway } from './stripe.gateway.js';

/** Response bodies recorded in the Stripe API's documented shapes (stripe-fixtures/). */
const fixture = (name: string) => readFileSync(new URL(`./stripe-fixtures/${name}.json`, import.meta.url), 'utf8');

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  key: string | undefined;
  form: URLSearchParams;
  authorization: string | undefined;
}

/** A local stand-in for api.stripe.com: answers each "METHOD /path" with a fixture and records what the SDK sent. */
async function startFakeStripe() {
  const answers = new Map<string, { status: number; body: string }>();
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url!, 'http://localhost');
      seen.push({ method: request.method!, path: url.pathname, query: url.searchParams, key: request.headers['idempotency-key'] as string | undefined, form: new URLSearchParams(raw), authorization: request.headers.authorization });
      const answer = answers.get(`${request.method} ${url.pathname}`) ?? { status: 404, body: fixture('error.invalid_request') };
      response.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': 'req_test' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    answer: (route: string, status: number, name: string) => answers.set(route, { status, body: fixture(name) }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const KEY = '6f1c2a9e-8d3b-4e7f-a2c5-1b9e0d4f7a63';
const PI = 'pi_3MtwBwLkdIwHu7ix28a3tqPa';
const request = { amount: 5000, currency: 'EUR', token: 'pm_card_visa', capture: true, metadata: { paymentId: '0b9d1c7e-2f4a-4c3e-9a51-3d2b6c8e1f00', orderId: '5a7c3e1d-9b2f-4e6a-8c41-7d0e2f9b3a11' } };

describe('StripeGateway (official SDK against recorded fixtures over local HTTP)', () => {
  let stripe: Awaited<ReturnType<typeof startFakeStripe>>;
  let gateway: StripeGateway;

  beforeEach(async () => {
    stripe = await startFakeStripe();
    gateway = new StripeGateway({ secretKey: 'sk_test_fixture', timeoutMs: 2000, api: { host: '127.0.0.1', port: stripe.port, protocol: 'http' } });
  });
  afterEach(() => stripe.close());

  it('creates and confirms a PaymentIntent with our attempt key as the idempotency key and in the metadata', async () => {
    stripe.answer('POST /v1/payment_intents', 200, 'payment_intent.succeeded');
    await expect(gateway.authorize(KEY, request)).resolves.toEqual({ ref: PI, status: 'captured', amountCaptured: 5000, amountRefunded: 0 });
    const [sent] = stripe.seen;
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/payment_intents', key: KEY, authorization: 'Bearer sk_test_fixture' });
    expect(Object.fromEntries(sent!.form)).toMatchObject({
      amount: '5000',
      currency: 'eur',
      confirm: 'true',
      capture_method: 'automatic',
      payment_method: 'pm_card_visa',
      'metadata[ficus_attempt_key]': KEY,
      'metadata[paymentId]': request.metadata.paymentId,
      'expand[0]': 'latest_charge',
    });
  });

  it('authorizes in manual capture mode, then captures and voids with their own keys', async () => {
    stripe.answer('POST /v1/payment_intents', 200, 'payment_intent.requires_capture');
    stripe.answer(`POST /v1/payment_intents/${PI}/capture`, 200, 'payment_intent.succeeded');
    stripe.answer(`POST /v1/payment_intents/${PI}/cancel`, 200, 'payment_intent.canceled');
    expect(await gateway.authorize(KEY, { ...request, capture: false })).toMatchObject({ ref: PI, status: 'authorized', amountCaptured: 0 });
    expect(stripe.seen[0]!.form.get('capture_method')).toBe('manual');
    expect(await gateway.capture('capture-key', PI)).toMatchObject({ status: 'captured', amountCaptured: 5000 });
    expect(await gateway.void('void-key', PI)).toMatchObject({ status: 'voided', amountCaptured: 0 });
    expect(stripe.seen.slice(1).map((s) => [s.path, s.key])).toEqual([
      [`/v1/payment_intents/${PI}/capture`, 'capture-key'],
      [`/v1/payment_intents/${PI}/cancel`, 'void-key'],
    ]);
  });

  it('refunds part of a payment with the refund attempt key', async () => {
    stripe.answer('POST /v1/refunds', 200, 'refund');
    await expect(gateway.refund('refund-key', PI, 2000)).resolves.toEqual({ ref: 're_3MtwBwLkdIwHu7ix0Q1jaV5t', amount: 2000 });
    expect(stripe.seen[0]).toMatchObject({ key: 'refund-key' });
    expect(Object.fromEntries(stripe.seen[0]!.form)).toMatchObject({ payment_intent: PI, amount: '2000' });
  });

  it('maps a card_error to a decline with its decline code and PaymentIntent', async () => {
    stripe.answer('POST /v1/payment_intents', 402, 'error.card_declined');
    const error = await gateway.authorize(KEY, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayDeclinedError);
    expect(error).toMatchObject({ declineCode: 'insufficient_funds', ref: PI });
  });

  it('maps api errors and lost connections to transient, idempotency_error to a key conflict, other 4xx to a rejection', async () => {
    stripe.answer('POST /v1/payment_intents', 500, 'error.api');
    await expect(gateway.authorize(KEY, request)).rejects.toBeInstanceOf(GatewayTransientError);
    stripe.answer('POST /v1/payment_intents', 400, 'error.idempotency');
    await expect(gateway.authorize(KEY, request)).rejects.toBeInstanceOf(GatewayKeyConflictError);
    stripe.answer(`POST /v1/payment_intents/${PI}/capture`, 404, 'error.invalid_request');
    await expect(gateway.capture('k', PI)).rejects.toBeInstanceOf(GatewayRejectedError);
    await stripe.close();
    await expect(gateway.authorize(KEY, request)).rejects.toBeInstanceOf(GatewayTransientError);
  });

  it('finds the PaymentIntent of an attempt by its key among those created around it, or answers null', async () => {
    stripe.answer('GET /v1/payment_intents', 200, 'payment_intent.list');
    const since = new Date('2026-11-27T10:00:00Z');
    await expect(gateway.lookupByKey(KEY, since)).resolves.toEqual({ ref: PI, status: 'captured', amountCaptured: 5000, amountRefunded: 0 });
    const { query } = stripe.seen[0]!;
    const at = since.getTime() / 1000;
    expect(Number(query.get('created[gte]'))).toBeLessThan(at);
    expect(Number(query.get('created[lte]'))).toBeGreaterThan(at);
    await expect(gateway.lookupByKey('never-sent', since)).resolves.toBeNull();
  });

  it('reads refunds off the expanded latest charge', async () => {
    stripe.answer(`POST /v1/payment_intents/${PI}/capture`, 200, 'payment_intent.partially_refunded');
    expect(await gateway.capture('k', PI)).toEqual({ ref: PI, status: 'partially_refunded', amountCaptured: 5000, amountRefunded: 2000 });
  });
});
