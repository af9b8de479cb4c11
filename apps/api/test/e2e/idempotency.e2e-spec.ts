import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { body } from '#testing';
import { IDEMPOTENCY_PURGE_QUEUE, IdempotencyPurgeProcessor } from '../../../../libs/platform/src/idempotency/idempotency-purge.processor.js';
import { chargesFixture } from '../fixtures/fixtures.module.js';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;

describe('Idempotency-Key on POST (IETF draft, Stripe behaviour)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const charge = (key: string | undefined, payload: unknown, headers: Record<string, string> = {}, query = '') =>
    fetch(`${api.url}/api/v1/fixtures/charges${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const executions = () => chargesFixture.executions;

  it('refuses a required key that is missing or malformed with 400, running nothing', async () => {
    const before = executions();
    const missing = await charge(undefined, { amountCents: 500 });
    expect([missing.status, missing.headers.get('content-type')]).toEqual([400, expect.stringMatching(PROBLEM)]);
    expect(await body(missing)).toMatchObject({ code: 'IDEMPOTENCY.KEY_REQUIRED' });
    for (const key of ['x'.repeat(256), 'has space', '"unterminated', 'caf\u00e9']) {
      const response = await charge(key, { amountCents: 500 });
      expect([key, response.status]).toEqual([key, 400]);
      expect(await body(response)).toMatchObject({ code: 'IDEMPOTENCY.KEY_MALFORMED' });
    }
    expect(executions()).toBe(before);
  });

  it('replays the first answer byte for byte, with Idempotent-Replayed, for the same key and body', async () => {
    const key = randomUUID();
    const first = await charge(key, { amountCents: 500, note: 'first' });
    const firstText = await first.text();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const before = executions();
    // The same body with its keys in another order is the same request; the sf-string form is the same key.
    for (const [sentKey, payload] of [[key, '{"note":"first","amountCents":500}'], [`"${key}"`, { amountCents: 500, note: 'first' }]] as const) {
      const again = await charge(sentKey, payload);
      expect(again.status).toBe(201);
      expect(await again.text()).toBe(firstText);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    }
    expect(executions()).toBe(before);
  });

  it('answers 422 to the same key with a different body, and keeps the first answer', async () => {
    const key = randomUUID();
    const first = await (await charge(key, { amountCents: 700 })).text();
    const other = await charge(key, { amountCents: 701 });
    expect([other.status, other.headers.get('content-type')]).toEqual([422, expect.stringMatching(PROBLEM)]);
    expect(await body(other)).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    expect(await (await charge(key, { amountCents: 700 })).text()).toBe(first);
  });

  it('answers 409 with Retry-After while the first request runs, then replays it', async () => {
    const key = randomUUID();
    const before = executions();
    const slow = charge(key, { amountCents: 900 }, {}, '?delayMs=600');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const during = await charge(key, { amountCents: 900 }, {}, '?delayMs=600');
    expect(during.status).toBe(409);
    expect(await body(during)).toMatchObject({ code: 'IDEMPOTENCY.IN_FLIGHT' });
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const first = await slow;
    expect(first.status).toBe(201);
    const after = await charge(key, { amountCents: 900 }, {}, '?delayMs=600');
    expect([after.status, after.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(executions() - before).toBe(1);
  });

  it('lets 20 concurrent requests with one key run the work once', async () => {
    const key = randomUUID();
    const before = executions();
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => charge(key, { amountCents: 1100 }, {}, '?delayMs=200')))).map((r) => r.status);
    expect(executions() - before).toBe(1);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(new Set(statuses)).toEqual(new Set([201, 409]));
  });

  it('does not remember validation failures, and leaves a key resumable after a 5xx', async () => {
    const key = randomUUID();
    expect((await charge(key, { amountCents: 'lots' })).status).toBe(400);
    expect((await charge(key, { amountCents: 300 })).status).toBe(201);

    const flaky = randomUUID();
    const before = executions();
    const failed = await charge(flaky, { amountCents: 400 }, { 'x-fail-once': flaky });
    expect(failed.status).toBe(500);
    const retried = await charge(flaky, { amountCents: 400 }, { 'x-fail-once': flaky });
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, null]);
    expect(executions() - before).toBe(2);
  });

  it('remembers a business refusal (409) like a success', async () => {
    const key = randomUUID();
    const first = await charge(key, { amountCents: 13 });
    expect(first.status).toBe(409);
    const before = executions();
    const again = await charge(key, { amountCents: 13 });
    expect([again.status, again.headers.get('idempotent-replayed'), await again.text()]).toEqual([409, 'true', await first.text()]);
    expect(executions()).toBe(before);
  });

  it('keeps keys per caller: the same key from another cart is another request', async () => {
    const key = randomUUID();
    const a = await body(await charge(key, { amountCents: 250 }, { 'x-cart-token': 'cart-a' }));
    const b = await body(await charge(key, { amountCents: 250 }, { 'x-cart-token': 'cart-b' }));
    expect(a.chargeId).not.toBe(b.chargeId);
  });

  it('accepts the key on any other POST, optionally', async () => {
    const echo = (key?: string) =>
      fetch(`${api.url}/api/v1/fixtures/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify({ name: 'Mug', quantity: 1 }),
      });
    expect((await echo()).status).toBe(201);
    const key = randomUUID();
    expect((await echo(key)).headers.get('idempotent-replayed')).toBeNull();
    expect((await echo(key)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('keeps keys 24 h and purges older ones with a scheduled job', async () => {
    const key = randomUUID();
    await charge(key, { amountCents: 600 });
    const rows = await api.db.query(`SELECT extract(epoch FROM expires_at - created_at)::int AS kept FROM platform.idempotency_keys WHERE key = $1`, [key]);
    expect(rows.rows[0].kept).toBe(24 * 3600);
    await api.db.query(`UPDATE platform.idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    expect(await api.app.get(IdempotencyPurgeProcessor).purge()).toBeGreaterThanOrEqual(1);
    expect((await api.db.query('SELECT 1 FROM platform.idempotency_keys WHERE key = $1', [key])).rowCount).toBe(0);
    const schedulers = await api.app.get<Queue>(getQueueToken(IDEMPOTENCY_PURGE_QUEUE)).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['purge-expired-keys', 3_600_000]]);
  });

  it('documents the header in OpenAPI: required on the routes that need it', async () => {
    const document = await body(await fetch(`${api.url}/docs/openapi.json`));
    const parameters = document.paths['/api/v1/fixtures/charges'].post.parameters as { name: string; in: string; required?: boolean }[];
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    const echo = document.paths['/api/v1/fixtures/echo'].post.parameters as { name: string; required?: boolean }[];
    expect(echo).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', required: false }));
  });
});
