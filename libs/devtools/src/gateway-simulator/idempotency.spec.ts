import { charge, simulatorPerFile } from './simulator-test-kit.js';

describe('gateway simulator: idempotency keys', () => {
  const sim = simulatorPerFile();

  it('replays the stored result for the same key and body, charging once', async () => {
    const first = await sim().post('/v1/payment_intents', charge(), 'order-1-attempt-1');
    const second = await sim().post('/v1/payment_intents', { currency: 'eur', capture_method: 'automatic', token: 'tok_ok', amount: 1999 }, 'order-1-attempt-1');
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('replays a decline instead of charging the card again', async () => {
    const first = await sim().post('/v1/payment_intents', charge({ token: 'tok_decline' }), 'declined-1');
    const second = await sim().post('/v1/payment_intents', charge({ token: 'tok_decline' }), 'declined-1');
    expect(second.status).toBe(402);
    expect(second.body).toEqual(first.body);
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('rejects the same key with another body (400 idempotency_error) and books nothing new', async () => {
    await sim().post('/v1/payment_intents', charge(), 'reused');
    const other = await sim().post('/v1/payment_intents', charge({ amount: 2000 }), 'reused');
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused' });
    const elsewhere = await sim().post('/v1/refunds', { payment_intent: 'pi_x', amount: 1 }, 'reused');
    expect(elsewhere.body.error.code).toBe('idempotency_key_reused');
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('answers 409 to the same key while its first request is in flight', async () => {
    await sim().faults({ latencyMs: 300 });
    const [a, b] = await Promise.all([
      sim().post('/v1/payment_intents', charge(), 'concurrent'),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => sim().post('/v1/payment_intents', charge(), 'concurrent')),
    ]);
    expect([a.status, b.status]).toEqual([200, 409]);
    expect(b.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('keeps keys per request: a capture replays, a refund with its own key refunds once', async () => {
    const pi = (await sim().post('/v1/payment_intents', charge({ capture_method: 'manual' }))).body;
    await sim().post(`/v1/payment_intents/${pi.id}/capture`, {}, 'cap-1');
    expect((await sim().post(`/v1/payment_intents/${pi.id}/capture`, {}, 'cap-1')).status).toBe(200);
    await sim().post('/v1/refunds', { payment_intent: pi.id, amount: 500 }, 'refund-1');
    await sim().post('/v1/refunds', { payment_intent: pi.id, amount: 500 }, 'refund-1');
    expect((await sim().ledger()).refunds).toEqual([expect.objectContaining({ amount: 500, idempotency_key: 'refund-1' })]);
  });

  it('finds a payment intent by the key it was created with, and nothing for an unused key', async () => {
    const pi = (await sim().post('/v1/payment_intents', charge(), 'lookup-me')).body;
    expect((await sim().get('/v1/payment_intents?idempotency_key=lookup-me')).body).toEqual({ object: 'list', data: [pi] });
    expect((await sim().get('/v1/payment_intents?idempotency_key=never-used')).body).toEqual({ object: 'list', data: [] });
  });

  it('does not remember a request that failed validation', async () => {
    expect((await sim().post('/v1/payment_intents', charge({ amount: -1 }), 'fixed-later')).status).toBe(400);
    expect((await sim().post('/v1/payment_intents', charge(), 'fixed-later')).status).toBe(200);
  });
});
