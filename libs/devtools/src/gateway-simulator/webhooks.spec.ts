import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type SimulatorClient, charge, startSimulator } from './simulator-test-kit.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver that fails its first `failures` deliveries with 500. */
async function startReceiver(failures = 0): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = received.length <= failures ? 500 : 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/webhooks/simulator`, received, server };
}

/** What a receiver does: recompute the HMAC over `t.body` with the shared secret. */
function verify(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await check()); waited += 20) {
    if (waited > 5_000) throw new Error('webhook not received within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('gateway simulator: signed webhooks', () => {
  const secret = 'whsec_test_0123456789';
  let sim: SimulatorClient;
  let close: () => Promise<void>;
  const receivers: Server[] = [];

  afterEach(async () => {
    await close();
    await Promise.all(receivers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('sends payment_intent.succeeded signed with HMAC-SHA256 over "timestamp.body"', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.server);
    ({ client: sim, close } = await startSimulator({ webhook: { url: receiver.url, secret } }));
    const pi = (await sim.post('/v1/payment_intents', charge())).body;
    await until(() => receiver.received.length === 1);
    const [{ headers, body }] = receiver.received as [Received];
    const header = headers['ficus-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Math.abs(Number(header.slice(2, header.indexOf(','))) - Date.now() / 1000)).toBeLessThan(5);
    expect(verify(header, body, secret)).toBe(true);
    expect(verify(header, body, 'whsec_someone_else')).toBe(false);
    expect(verify(header, body.replace('1999', '1'), secret)).toBe(false);
    expect(JSON.parse(body)).toMatchObject({ id: expect.stringMatching(/^evt_/), type: 'payment_intent.succeeded', data: { object: { id: pi.id, status: 'captured' } } });
  });

  it('tells every state change: authorized, captured, refunded, declined, canceled', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.server);
    ({ client: sim, close } = await startSimulator());
    await sim.call('PUT', '/_control/webhook', { url: receiver.url, secret });
    const pi = (await sim.post('/v1/payment_intents', charge({ capture_method: 'manual' }))).body;
    await sim.post(`/v1/payment_intents/${pi.id}/capture`, {});
    await sim.post('/v1/refunds', { payment_intent: pi.id, amount: 100 });
    await sim.post('/v1/payment_intents', charge({ token: 'tok_decline' }));
    const other = (await sim.post('/v1/payment_intents', charge({ capture_method: 'manual' }))).body;
    await sim.post(`/v1/payment_intents/${other.id}/cancel`, {});
    await until(() => receiver.received.length === 6);
    const events = receiver.received.map(({ body }) => JSON.parse(body));
    expect(events.map((event) => event.type).sort()).toEqual([
      'charge.refunded',
      'payment_intent.amount_capturable_updated',
      'payment_intent.amount_capturable_updated',
      'payment_intent.canceled',
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
    ]);
    expect(events.find((event) => event.type === 'charge.refunded').data).toMatchObject({ object: { amount_refunded: 100 }, refund: { amount: 100 } });
    expect(receiver.received.every(({ headers, body }) => verify(headers['ficus-signature'] as string, body, secret))).toBe(true);
  });

  it('retries a failed delivery with the same event id', async () => {
    const receiver = await startReceiver(1);
    receivers.push(receiver.server);
    ({ client: sim, close } = await startSimulator({ webhook: { url: receiver.url, secret } }));
    await sim.post('/v1/payment_intents', charge());
    await until(() => receiver.received.length === 2);
    const [first, second] = receiver.received.map(({ body }) => JSON.parse(body).id);
    expect(second).toBe(first);
    await until(async () => (await sim.get('/_control/webhook')).body.deliveries.length === 1);
    expect((await sim.get('/_control/webhook')).body.deliveries).toEqual([expect.objectContaining({ event: first, attempts: 2, status: 200 })]);
  });

  it('sends an event again on request: same id and body, freshly signed; 404 for an unknown event', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.server);
    ({ client: sim, close } = await startSimulator({ webhook: { url: receiver.url, secret } }));
    await sim.post('/v1/payment_intents', charge());
    await until(() => receiver.received.length === 1);
    const { id } = JSON.parse(receiver.received[0]!.body);
    expect((await sim.call('POST', `/_control/webhook/events/${id}/resend`)).status).toBe(202);
    await until(() => receiver.received.length === 2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(verify(receiver.received[1]!.headers['ficus-signature'] as string, receiver.received[1]!.body, secret)).toBe(true);
    expect((await sim.call('POST', '/_control/webhook/events/evt_nope/resend')).status).toBe(404);
  });

  it('refuses a webhook target without a usable secret', async () => {
    ({ client: sim, close } = await startSimulator());
    expect((await sim.call('PUT', '/_control/webhook', { url: 'http://127.0.0.1:1/x', secret: 'short' })).status).toBe(400);
    expect((await sim.call('PUT', '/_control/webhook', { url: 'not a url', secret })).status).toBe(400);
  });
});
