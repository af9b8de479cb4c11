// The API side's circuit breaker over real HTTP: the real API behind a relay that injects failures,
// the real PHP shop as legacy. A route trips to legacy by itself and comes back through probes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, LogCapture } from '#testing';
import { AUDIT_LOG_NAME } from '../src/proxy-app.js';
import type { adminClient } from './admin-client.js';
import { metricSamples } from './proxy-harness.js';
import { type RealStack, startRealStack } from './real-stack.js';

const OPEN_MS = 400;
const ROUTES = `
routes:
  - name: products-json
    methods: "*"
    path: /index.php
    query: { route: api/products }
    mode: api
    rewrite: /api/v1/products
    breaker: { errorRate: 0.5, minRequests: 4, windowMs: 60000, openMs: ${OPEN_MS}, probes: 2 }
  - name: products-unguarded
    methods: GET
    path: /unguarded
    mode: api
    rewrite: /api/v1/products
    breaker: off
`;

const PRODUCTS = '/index.php?route=api/products';

describe('legacy proxy: API circuit breaker per route', () => {
  let stack: RealStack;
  let relay: RealStack['relay'];
  let running: RealStack['running'];
  let admin: ReturnType<typeof adminClient>;

  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${running.proxy.url}${path}`, init);
    const text = await response.text();
    return { status: response.status, backend: response.headers.get('x-ficus-backend'), breaker: response.headers.get('x-ficus-breaker'), text };
  };
  const breakerOf = async (route: string) => (await admin.get('/routes')).body.routes.find((r: { name: string }) => r.name === route).live.breaker;
  // A breaker's audit entry is written after its change, not awaited by the request that caused it.
  const lastAudit = async () => {
    let last: any;
    await eventually(async () => {
      const text = await readFile(join(running.dir, AUDIT_LOG_NAME), 'utf8').catch(() => '');
      last = text.trim() ? JSON.parse(text.trim().split('\n').at(-1)!) : undefined;
      return last?.action === 'breaker';
    }, 5_000);
    return last;
  };
  const breakerGauge = async () => metricSamples(await (await fetch(`${running.proxy.url}/metrics`)).text(), 'proxy_breaker_state', ['route']).get('products-json');

  const logs = new LogCapture();

  beforeAll(async () => {
    stack = await startRealStack(ROUTES, {}, logs);
    ({ relay, running, admin } = stack);
  });
  afterAll(() => stack?.close());
  beforeEach(() => {
    relay.control.failWith = null;
    relay.control.seen.length = 0;
  });

  it('never repeats a request the API answered 503 (no retries on a plain api route)', async () => {
    relay.control.failWith = 503;
    expect(await get('/unguarded')).toMatchObject({ status: 503, backend: 'api' });
    expect(relay.control.seen).toEqual(['GET /api/v1/products']);
    // breaker: off: failures never move that route.
    for (let i = 0; i < 6; i++) expect((await get('/unguarded')).backend).toBe('api');
  });

  it('trips to legacy when the API\'s error rate passes the threshold: logged in the audit, listed, in the metrics', async () => {
    expect(await get(PRODUCTS)).toMatchObject({ status: 200, backend: 'api', breaker: null });
    relay.control.failWith = 500;
    for (let i = 0; i < 3; i++) expect(await get(PRODUCTS)).toMatchObject({ status: 500, backend: 'api' });

    // 3 failures of 4 answers: open. The route is served by legacy without asking the API.
    relay.control.seen.length = 0;
    const served = await get(PRODUCTS);
    expect(served).toMatchObject({ status: 200, backend: 'legacy', breaker: 'open' });
    expect(JSON.parse(served.text)).toMatchObject({ page: 1, per_page: 20 }); // the shop's own JSON
    expect(relay.control.seen).toEqual([]);
    expect(await breakerOf('products-json')).toMatchObject({ state: 'open', trips: 1, reason: 'error rate 75 % over 4 API answers in 60000 ms (threshold 50 %)' });
    expect(await breakerGauge()).toBe(2);
    const warning = logs.lines.find((line) => String(line.msg).startsWith('API breaker of route products-json closed -> open'));
    expect(warning).toMatchObject({ level: 40, route: 'products-json', from: 'closed', to: 'open', by: 'breaker' });
    expect(await lastAudit()).toMatchObject({ who: { system: 'breaker' }, action: 'breaker', route: 'products-json', before: { breaker: 'closed' }, after: { breaker: 'open' } });
  });

  it('stays on legacy while the probes fail, and returns to the API after enough successful probes', async () => {
    await new Promise((resolve) => setTimeout(resolve, OPEN_MS + 50));
    relay.control.failWith = 500;
    // Half-open: one request probes the API, fails, and the breaker opens again.
    expect(await get(PRODUCTS)).toMatchObject({ status: 500, backend: 'api' });
    expect(await breakerOf('products-json')).toMatchObject({ state: 'open', reason: 'a probe of the API failed' });
    expect(await get(PRODUCTS)).toMatchObject({ backend: 'legacy', breaker: 'open' });

    relay.control.failWith = null;
    await new Promise((resolve) => setTimeout(resolve, OPEN_MS + 50));
    // A POST is never a probe: it goes to legacy while the breaker is half-open.
    expect(await get(PRODUCTS, { method: 'POST', body: '{}' })).toMatchObject({ backend: 'legacy', breaker: 'open' });
    expect(await get(PRODUCTS)).toMatchObject({ status: 200, backend: 'api' });
    expect((await breakerOf('products-json')).state).toBe('half-open');
    expect(await get(PRODUCTS)).toMatchObject({ status: 200, backend: 'api' });
    expect(await breakerOf('products-json')).toMatchObject({ state: 'closed', reason: '2 probes of the API succeeded' });
    expect(await breakerGauge()).toBe(0);
    for (let i = 0; i < 3; i++) expect((await get(PRODUCTS)).backend).toBe('api');
  });

  it('an admin can send a tripped route back to the API at once (audited)', async () => {
    relay.control.failWith = 502;
    await eventually(async () => (await get(PRODUCTS)).breaker === 'open', 5_000);
    relay.control.failWith = null;
    expect((await admin.call('POST', '/routes/products-json/breaker/close')).body).toMatchObject({ state: 'closed', reason: 'closed by an admin' });
    expect(await get(PRODUCTS)).toMatchObject({ status: 200, backend: 'api' });
    expect((await admin.call('POST', '/routes/products-json/breaker/close')).body).toMatchObject({ status: 409, code: 'PROXY.BREAKER_NOT_OPEN' });
    await eventually(async () => (await lastAudit()).after.breaker === 'closed', 5_000);
    expect(await lastAudit()).toMatchObject({ who: { sub: expect.any(String) }, action: 'breaker', reason: 'closed by an admin' });
    const transitions = metricSamples(await (await fetch(`${running.proxy.url}/metrics`)).text(), 'proxy_breaker_transitions_total', ['route', 'to']);
    expect(transitions.get('products-json open')).toBe(3);
  });
});
