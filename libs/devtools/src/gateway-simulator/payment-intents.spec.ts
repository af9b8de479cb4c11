import { charge, simulatorPerFile } from './simulator-test-kit.js';

describe('gateway simulator: payment intents, captures, cancels and refunds', () => {
  const sim = simulatorPerFile();

  it('captures tok_ok at once with automatic capture and books it in the ledger', async () => {
    const { status, body } = await sim().post('/v1/payment_intents', charge({ metadata: { order: 'o-1' } }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: expect.stringMatching(/^pi_/), status: 'captured', amount: 1999, currency: 'eur', amount_captured: 1999, metadata: { order: 'o-1' } });
    const ledger = await sim().ledger();
    expect(ledger.payment_intents).toHaveLength(1);
    expect(ledger.payment_intents[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(ledger.totals).toEqual({ eur: { authorized: 0, captured: 1999, refunded: 0 } });
  });

  it('declines tok_decline with 402 card_declined and books the declined attempt', async () => {
    const { status, body } = await sim().post('/v1/payment_intents', charge({ token: 'tok_decline' }));
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', payment_intent: { status: 'declined' } });
    expect((await sim().ledger()).payment_intents.map((pi: any) => [pi.status, pi.amount_captured])).toEqual([['declined', 0]]);
  });

  it('declines tok_insufficient for insufficient funds', async () => {
    const { status, body } = await sim().post('/v1/payment_intents', charge({ token: 'tok_insufficient' }));
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' });
  });

  it('accepts any other token when no fault says otherwise', async () => {
    expect((await sim().post('/v1/payment_intents', charge({ token: 'tok_visa_4242' }))).body.status).toBe('captured');
  });

  it('authorizes with manual capture, captures part and releases the rest', async () => {
    const created = (await sim().post('/v1/payment_intents', charge({ amount: 5000, capture_method: 'manual' }))).body;
    expect(created).toMatchObject({ status: 'authorized', amount_capturable: 5000, amount_captured: 0 });
    const tooMuch = await sim().post(`/v1/payment_intents/${created.id}/capture`, { amount: 5001 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('amount_too_large');
    const captured = await sim().post(`/v1/payment_intents/${created.id}/capture`, { amount: 3000 });
    expect(captured.body).toMatchObject({ status: 'captured', amount_captured: 3000, amount_capturable: 0 });
    expect(captured.body.history.map((h: any) => h.status)).toEqual(['authorized', 'captured']);
    const again = await sim().post(`/v1/payment_intents/${created.id}/capture`, {});
    expect(again.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_intent_unexpected_state' });
  });

  it('cancels an authorization, and nothing else', async () => {
    const authorized = (await sim().post('/v1/payment_intents', charge({ capture_method: 'manual' }))).body;
    const canceled = await sim().call('POST', `/v1/payment_intents/${authorized.id}/cancel`, undefined, { 'idempotency-key': 'cancel-1' });
    expect(canceled.body).toMatchObject({ status: 'canceled', amount_capturable: 0 });
    const captured = (await sim().post('/v1/payment_intents', charge())).body;
    expect((await sim().post(`/v1/payment_intents/${captured.id}/cancel`, {})).body.error.code).toBe('payment_intent_unexpected_state');
  });

  it('refunds partially, then fully, never more than captured', async () => {
    const pi = (await sim().post('/v1/payment_intents', charge({ amount: 1000 }))).body;
    const first = await sim().post('/v1/refunds', { payment_intent: pi.id, amount: 400 });
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^re_/), amount: 400, status: 'succeeded', payment_intent: pi.id });
    const over = await sim().post('/v1/refunds', { payment_intent: pi.id, amount: 601 });
    expect(over.status).toBe(400);
    expect(over.body.error.code).toBe('amount_too_large');
    expect((await sim().get(`/v1/payment_intents/${pi.id}`)).body).toMatchObject({ status: 'partially_refunded', amount_refunded: 400 });
    expect((await sim().post('/v1/refunds', { payment_intent: pi.id })).body.amount).toBe(600);
    expect((await sim().post('/v1/refunds', { payment_intent: pi.id, amount: 1 })).body.error.code).toBe('charge_already_refunded');
    const ledger = await sim().ledger();
    expect(ledger.payment_intents[0].status).toBe('refunded');
    expect(ledger.refunds.map((r: any) => r.amount)).toEqual([400, 600]);
    expect(ledger.totals.eur).toEqual({ authorized: 0, captured: 1000, refunded: 1000 });
  });

  it('refuses to refund what was only authorized', async () => {
    const pi = (await sim().post('/v1/payment_intents', charge({ capture_method: 'manual' }))).body;
    expect((await sim().post('/v1/refunds', { payment_intent: pi.id, amount: 1 })).body.error.code).toBe('payment_intent_unexpected_state');
  });

  it.each([
    ['a fractional amount', charge({ amount: 19.99 }), 'amount'],
    ['a zero amount', charge({ amount: 0 }), 'amount'],
    ['an amount as a string', charge({ amount: '1999' }), 'amount'],
    ['an unknown currency', charge({ currency: 'xyz' }), 'currency'],
    ['no token', charge({ token: undefined }), 'token'],
    ['another capture method', charge({ capture_method: 'later' }), 'capture_method'],
    ['an unknown parameter', charge({ amount_cents: 1 }), 'amount_cents'],
    ['non-string metadata', charge({ metadata: { n: 1 } }), 'metadata'],
  ])('rejects %s with a 400 naming the parameter, and books nothing', async (_case, body, param) => {
    const { status, body: answer } = await sim().post('/v1/payment_intents', body);
    expect(status).toBe(400);
    expect(answer.error).toMatchObject({ type: 'invalid_request_error', param });
    expect((await sim().ledger()).payment_intents).toEqual([]);
  });

  it('requires an Idempotency-Key of 1 to 255 characters', async () => {
    expect((await sim().post('/v1/payment_intents', charge(), null)).body.error.code).toBe('idempotency_key_missing');
    expect((await sim().post('/v1/payment_intents', charge(), 'k'.repeat(256))).body.error.code).toBe('idempotency_key_invalid');
  });

  it('answers malformed JSON, unknown intents and unknown routes in the same error shape', async () => {
    const malformed = await fetch(`${sim().url}/v1/payment_intents`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: '{"amount":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('body_invalid');
    const missing = await sim().get('/v1/payment_intents/pi_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
    expect((await sim().get('/v2/nothing')).status).toBe(404);
  });
});
