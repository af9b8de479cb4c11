// Shadow routes over real HTTP: the real PHP shop answers, a copy goes to the real API (behind a
// relay that can hold it back), and the two answers are compared under the route's rules.
import { eventually } from '#testing';
import type { adminClient } from './admin-client.js';
import { gate, metricSamples } from './proxy-harness.js';
import { type RealStack, startRealStack } from './real-stack.js';

const SHADOW_TIMEOUT_MS = 1_000;
const MAX_CONCURRENCY = 2;

// legacy's health ({status, database}) against the API's readiness ({status, checks}).
const ROUTES = `
routes:
  - name: health-strict
    methods: GET
    path: /index.php
    query: { route: api/health, strict: "1" }
    mode: shadow
    rewrite: /health/ready
  - name: health-lenient
    methods: [GET, HEAD]
    path: /index.php
    query: { route: api/health }
    mode: shadow
    rewrite: /health/ready
    shadow: { ignore: [database, checks] }
  - name: cart-json
    methods: GET
    path: /index.php
    query: { route: api/cart }
    mode: shadow
    rewrite: /api/v1/cart-preview
  - name: product-page
    methods: GET
    path: /index.php
    query: { route: product/view, id: ":id" }
    mode: shadow
    rewrite: /api/v1/product-preview/:id
    shadow:
      fields:
        name: { legacy: '<h1[^>]*>([^<]*)</h1>', api: "$.name" }
`;

type ShadowView = { route: string; compared: number; matched: number; mismatches: Record<string, number>; failures: Record<string, number>; samples: any[] };

describe('legacy proxy: shadow routes', () => {
  let stack: RealStack;
  let relay: RealStack['relay'];
  let shop: RealStack['shop'];
  let running: RealStack['running'];
  let admin: ReturnType<typeof adminClient>;

  const shadowOf = async (route: string): Promise<ShadowView> => (await admin.get('/shadow')).body.routes.find((r: ShadowView) => r.route === route);
  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${running.proxy.url}${path}`, init);
    return { status: response.status, backend: response.headers.get('x-ficus-backend'), text: await response.text() };
  };

  beforeAll(async () => {
    stack = await startRealStack(ROUTES, { PROXY_SHADOW_TIMEOUT_MS: String(SHADOW_TIMEOUT_MS), PROXY_SHADOW_MAX_CONCURRENCY: String(MAX_CONCURRENCY) });
    ({ relay, shop, running, admin } = stack);
  });
  afterAll(() => stack?.close());
  afterEach(() => {
    relay.control.hold = null;
    relay.control.answer = () => undefined;
    relay.control.seen.length = 0;
  });

  it('serves legacy\'s answer while the API\'s copy is still held back, and compares once the API answers', async () => {
    const held = gate();
    relay.control.hold = held.promise;
    const direct = await (await fetch(`${shop.url}/index.php?route=api/health`)).text();
    const served = await get('/index.php?route=api/health');
    // The client has legacy's whole answer, and the API has not answered the copy yet.
    expect(served).toEqual({ status: 200, backend: 'legacy', text: direct });
    await eventually(() => relay.control.waiting === 1, 5_000);
    expect(relay.control.seen).toEqual(['GET /health/ready']);
    expect((await shadowOf('health-lenient')).compared).toBe(0);

    held.open();
    await eventually(async () => (await shadowOf('health-lenient')).compared === 1, 5_000);
    expect(await shadowOf('health-lenient')).toMatchObject({ matched: 1, samples: [] });
  });

  it('sends the copy with the request id and a shadow mark, without the tester override', async () => {
    let headers: Record<string, unknown> = {};
    relay.control.answer = (req) => {
      headers = req.headers;
      return undefined;
    };
    const response = await fetch(`${running.proxy.url}/index.php?route=api/health`, { headers: { 'x-request-id': 'shadow-req-1' } });
    await response.text();
    await eventually(() => headers['x-ficus-shadow'] === '1', 5_000);
    expect(headers).toMatchObject({ 'x-request-id': 'shadow-req-1', 'accept-encoding': 'identity' });
    expect(response.headers.get('x-request-id')).toBe('shadow-req-1');
  });

  it('applies the ignore rules: the same pair mismatches without them, with the differences by path', async () => {
    await get('/index.php?route=api/health&strict=1');
    await eventually(async () => (await shadowOf('health-strict')).compared === 1, 5_000);
    const strict = await shadowOf('health-strict');
    expect(strict).toMatchObject({ matched: 0, mismatches: { status: 0, body: 1 } });
    expect(strict.samples[0].differences).toEqual([
      { path: '$.database', kind: 'missing in api', legacy: 'up' },
      { path: '$.checks', kind: 'only in api', api: expect.objectContaining({ database: expect.objectContaining({ status: 'up' }) }) },
    ]);
    const before = (await shadowOf('health-lenient')).compared;
    await get('/index.php?route=api/health');
    await eventually(async () => (await shadowOf('health-lenient')).compared === before + 1, 5_000);
    expect((await shadowOf('health-lenient')).matched).toBe(before + 1);
  });

  it('counts a mismatch with a redacted sample: no e-mail address or session of the shopper is stored', async () => {
    // The API has no cart preview yet: the relay stands in for it, with another customer's e-mail.
    relay.control.answer = (req) =>
      req.url === '/api/v1/cart-preview' ? { status: 200, body: { items: [], item_count: 0, total_cents: 0, currency: 'EUR', customer: { id: 1, email: 'someone.else@example.com' } } } : undefined;
    const login = await fetch(`${shop.url}/index.php?route=account/login`);
    const session = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="csrf_token" value="([0-9a-f]{64})"/.exec(await login.text())![1]!;
    const loggedIn = await fetch(`${shop.url}/index.php?route=account/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: csrf, email: 'eve@example.com', password: 'shop-demo-1' }).toString(),
    });
    const cookie = loggedIn.headers.getSetCookie().find((c) => c.startsWith('PHPSESSID='))?.split(';')[0] ?? session;
    const cart = await get('/index.php?route=api/cart', { headers: { cookie } });
    expect(JSON.parse(cart.text).customer.email).toBe('eve@example.com');

    await eventually(async () => (await shadowOf('cart-json')).compared === 1, 5_000);
    const view = await shadowOf('cart-json');
    expect(view).toMatchObject({ matched: 0, mismatches: { body: 1 } });
    expect(view.samples[0]).toMatchObject({ method: 'GET', kind: 'body', status: { legacy: 200, api: 200 }, url: '/index.php?route=api%2Fcart' });
    expect(view.samples[0].differences).toContainEqual({ path: '$.customer.email', kind: 'changed', legacy: '[redacted]', api: '[redacted]' });
    const stored = JSON.stringify(view);
    expect(stored).not.toMatch(/eve@example\.com|someone\.else|PHPSESSID/);
  });

  it('compares selected fields of legacy\'s HTML page against the API\'s JSON', async () => {
    const page = await (await fetch(`${shop.url}/index.php?route=product/view&id=3`)).text();
    const name = /<h1[^>]*>([^<]*)<\/h1>/.exec(page)![1]!.replace(/&amp;/g, '&');
    relay.control.answer = (req) => (req.url === '/api/v1/product-preview/3' ? { status: 200, body: { id: 'a-uuid', name, price: { amount: 1 } } } : { status: 200, body: { name: 'Other' } });
    await get('/index.php?route=product/view&id=3');
    await get('/index.php?route=product/view&id=4');
    await eventually(async () => (await shadowOf('product-page')).compared === 2, 5_000);
    const view = await shadowOf('product-page');
    expect(view).toMatchObject({ matched: 1, mismatches: { fields: 1 } });
    expect(view.samples[0].differences).toEqual([{ path: 'fields.name', kind: 'changed', legacy: [expect.any(String)], api: ['Other'] }]);
  });

  it('gives up on a copy after the shadow timeout and skips copies over the concurrency cap, legacy unaffected', async () => {
    const before = (await shadowOf('health-lenient')).failures;
    const held = gate();
    relay.control.hold = held.promise;
    const answers = await Promise.all(Array.from({ length: MAX_CONCURRENCY + 2 }, () => get('/index.php?route=api/health')));
    expect(answers.every((a) => a.status === 200 && a.backend === 'legacy')).toBe(true);
    await eventually(async () => {
      const { failures } = await shadowOf('health-lenient');
      return failures.busy === before.busy + 2 && failures.timeout === before.timeout + MAX_CONCURRENCY;
    }, SHADOW_TIMEOUT_MS + 5_000);
    held.open();
    const results = metricSamples(await (await fetch(`${running.proxy.url}/metrics`)).text(), 'proxy_shadow_results_total', ['route', 'result']);
    expect(results.get('health-lenient busy')).toBe(before.busy + 2);
    expect(results.get('health-strict mismatch')).toBe(1);
  });

  it('never mirrors what the route does not list (POST), nor a request a tester forced', async () => {
    await get('/index.php?route=api/health', { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await get('/index.php?route=api/health', { headers: { 'x-ficus-backend': 'legacy' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(relay.control.seen).toEqual([]);
  });
});
