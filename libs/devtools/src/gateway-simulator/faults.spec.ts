import { charge, simulatorPerFile } from './simulator-test-kit.js';

describe('gateway simulator: faults', () => {
  const sim = simulatorPerFile();

  it('answers 500 or 503 with nothing charged, and a retry with the same key then charges once', async () => {
    await sim().faults({ errorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const answer = await sim().post('/v1/payment_intents', charge(), 'flaky');
      expect(answer.body.error.type).toBe('api_error');
      statuses.add(answer.status);
    }
    expect([...statuses].sort()).toEqual([500, 503]);
    expect((await sim().ledger()).payment_intents).toEqual([]);
    await sim().faults({});
    expect((await sim().post('/v1/payment_intents', charge(), 'flaky')).status).toBe(200);
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('holds a timed-out request with nothing charged, and frees its key once the client gives up', async () => {
    await sim().faults({ timeoutRate: 1, timeoutHoldMs: 10_000 });
    await expect(sim().post('/v1/payment_intents', charge(), 'slow', 200)).rejects.toThrow(/timeout|aborted/i);
    expect((await sim().get('/v1/payment_intents?idempotency_key=slow')).body.data).toEqual([]);
    await sim().faults({});
    let retry = await sim().post('/v1/payment_intents', charge(), 'slow');
    // The server may see the client's disconnect a moment after the retry arrives.
    if (retry.status === 409) retry = await sim().post('/v1/payment_intents', charge(), 'slow');
    expect(retry.status).toBe(200);
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('drops the connection after timeoutHoldMs when the client waits longer', async () => {
    await sim().faults({ timeoutRate: 1, timeoutHoldMs: 100 });
    await expect(sim().post('/v1/payment_intents', charge())).rejects.toThrow('fetch failed');
    expect((await sim().ledger()).payment_intents).toEqual([]);
  });

  it('charges but loses the response; the lookup by key finds the charge and a retry replays it', async () => {
    await sim().faults({ lostResponseRate: 1 });
    await expect(sim().post('/v1/payment_intents', charge(), 'lost-1')).rejects.toThrow('fetch failed');
    const ledger = await sim().ledger();
    expect(ledger.payment_intents).toEqual([expect.objectContaining({ status: 'captured', idempotency_key: 'lost-1' })]);
    const found = (await sim().get('/v1/payment_intents?idempotency_key=lost-1')).body.data;
    expect(found.map((pi: any) => pi.id)).toEqual([ledger.payment_intents[0].id]);
    await sim().faults({});
    const retry = await sim().post('/v1/payment_intents', charge(), 'lost-1');
    expect(retry.body.id).toBe(ledger.payment_intents[0].id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await sim().ledger()).payment_intents).toHaveLength(1);
  });

  it('declines ordinary tokens at declineRate, never tok_ok', async () => {
    await sim().faults({ declineRate: 1 });
    const ordinary = await sim().post('/v1/payment_intents', charge({ token: 'tok_visa' }));
    expect(ordinary.status).toBe(402);
    expect(ordinary.body.error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
    expect((await sim().post('/v1/payment_intents', charge({ token: 'tok_ok' }))).status).toBe(200);
  });

  it('adds latencyMs to each request', async () => {
    await sim().faults({ latencyMs: 150 });
    const began = performance.now();
    await sim().get('/v1/payment_intents?idempotency_key=x');
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
  });

  it('repeats the same outcomes for the same seed and request sequence', async () => {
    const outcomes = async (seed: number) => {
      await sim().call('POST', '/_control/reset');
      await sim().faults({ seed, errorRate: 0.3, declineRate: 0.3 });
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) seen.push((await sim().post('/v1/payment_intents', charge({ token: 'tok_any' }))).status);
      return seen;
    };
    const first = await outcomes(42);
    expect(new Set(first)).toEqual(new Set([200, 402, 500, 503]));
    expect(await outcomes(42)).toEqual(first);
    expect(await outcomes(43)).not.toEqual(first);
  });

  it('rejects fault settings out of range and keeps the old ones', async () => {
    await sim().faults({ errorRate: 0.5 });
    for (const bad of [{ errorRate: 1.5 }, { declineRate: -0.1 }, { latencyMs: 1.5 }, { errorRate: 0.6, lostResponseRate: 0.6 }, { jitter: 1 }, { seed: -1 }]) {
      const answer = await sim().call('PUT', '/_control/faults', bad);
      expect(answer.status).toBe(400);
      expect(answer.body.error.type).toBe('invalid_request_error');
    }
    expect((await sim().get('/_control/faults')).body).toMatchObject({ errorRate: 0.5, latencyMs: 0 });
  });

  it('reset empties the ledger and the keys and turns the faults off', async () => {
    await sim().post('/v1/payment_intents', charge(), 'before-reset');
    await sim().faults({ errorRate: 1 });
    await sim().call('POST', '/_control/reset');
    expect((await sim().ledger()).payment_intents).toEqual([]);
    expect((await sim().post('/v1/payment_intents', charge({ amount: 1 }), 'before-reset')).status).toBe(200);
  });
});
