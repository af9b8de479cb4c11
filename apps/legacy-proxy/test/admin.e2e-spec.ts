// The admin API over real HTTP: the real API issues the tokens (the proxy checks them with its
// JWKS), the real PHP shop is legacy. Changes are written to the route file and the audit log.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { body, eventually } from '#testing';
import { AUDIT_LOG_NAME } from '../src/proxy-app.js';
import { adminClient } from './admin-client.js';
import { metricSamples, startProxy } from './proxy-harness.js';
import { type RealStack, startRealStack } from './real-stack.js';

const ROUTES = `# Admin e2e routes. This comment must survive changes made through the admin API.
routes:
  - name: products-json # the legacy JSON catalog, the API's products once cut over
    methods: [GET, HEAD]
    path: /index.php
    query: { route: api/products }
    mode: legacy
    rewrite: /api/v1/products

  # legacy's health against the API's readiness: the same status, other details
  - name: health-json
    methods: GET
    path: /index.php
    query: { route: api/health }
    mode: shadow
    rewrite: /health/ready
    shadow: { ignore: [database, checks] }

  - name: product-json
    methods: GET
    path: /index.php
    query: { route: api/product, id: ":id" }
    mode: shadow
    rewrite: /api/v1/products/:id
`;

const PROMOTION_WINDOW = 3;
const SETTINGS = { PROXY_PROMOTION_WINDOW: String(PROMOTION_WINDOW), PROXY_PROMOTION_MIN_MATCH_RATE: '0.9' };

describe('legacy proxy admin API (real API tokens, real PHP shop)', () => {
  let stack: RealStack;
  let running: RealStack['running'];
  let tokens: RealStack['tokens'];
  let admin: RealStack['admin'];
  const auditLines = async () => (await readFile(join(running.dir, AUDIT_LOG_NAME), 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const backendOf = async (path: string) => {
    const response = await fetch(`${running.proxy.url}${path}`);
    await response.arrayBuffer();
    return response.headers.get('x-ficus-backend');
  };

  beforeAll(async () => {
    stack = await startRealStack(ROUTES, SETTINGS);
    ({ running, tokens, admin } = stack);
  });
  afterAll(() => stack?.close());

  it('is for admins only: 401 without or with a bad token, 403 for a customer, as problem+json', async () => {
    const anonymous = await adminClient(running.proxy.url, null).get('/routes');
    expect([anonymous.status, anonymous.contentType, anonymous.body.code]).toEqual([401, 'application/problem+json; charset=utf-8', 'AUTH.TOKEN_MISSING']);
    expect((await adminClient(running.proxy.url, 'not.a.token').get('/routes')).status).toBe(401);
    const customer = adminClient(running.proxy.url, tokens.customer);
    expect((await customer.get('/routes')).status).toBe(403);
    expect((await customer.patch('products-json', { mode: 'api' })).status).toBe(403);
    expect((await customer.killSwitch(true)).status).toBe(403);
    expect((await admin.get('/routes')).status).toBe(200);
  });

  it('keeps /_proxy/admin to itself: an unknown path or method is a 404 problem, never forwarded to legacy', async () => {
    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/routes'], ['POST', '/routes/products-json']]) {
      const answer = await admin.call(method!, path!);
      expect([method, path, answer.status, answer.body.code]).toEqual([method, path, 404, 'PROXY.ADMIN_ROUTE_NOT_FOUND']);
    }
  });

  it('lists the routes with their live traffic', async () => {
    expect(await backendOf('/index.php?route=api/products&per_page=2')).toBe('legacy');
    const { body: table } = await admin.get('/routes');
    expect(table).toMatchObject({ file: running.file, killSwitch: false });
    const products = table.routes.find((r: { name: string }) => r.name === 'products-json');
    expect(products).toMatchObject({ mode: 'legacy', rewrite: '/api/v1/products', live: { lastHour: { requests: 1, legacy: 1, api: 0, errors: 0 }, shadow: null } });
    expect(products.live.breaker).toMatchObject({ state: 'closed', trips: 0 });
  });

  it('PATCH changes a route: written to the file (comments kept), audited, in force at once', async () => {
    const changed = await admin.patch('products-json', { mode: 'api' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ before: { mode: 'legacy' }, after: { mode: 'api', rewrite: '/api/v1/products' } });
    // No waiting for the file watcher: the very next request goes to the API.
    const response = await fetch(`${running.proxy.url}/index.php?route=api/products`);
    expect(response.headers.get('x-ficus-backend')).toBe('api');
    expect(await body(response)).toMatchObject({ items: expect.any(Array) });

    const text = await readFile(running.file, 'utf8');
    expect(text).toContain('# Admin e2e routes. This comment must survive changes made through the admin API.');
    expect(text).toContain('- name: products-json # the legacy JSON catalog, the API\'s products once cut over');
    expect(text).toMatch(/query: \{ route: api\/products \}\n\s+mode: api\n/);
    const [entry] = (await auditLines()).filter((line) => line.action === 'route.update');
    expect(entry).toMatchObject({ who: { sub: tokens.adminId }, route: 'products-json', before: { mode: 'legacy' }, after: { mode: 'api' } });
    expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('refuses an invalid PATCH naming the field, and changes nothing (file, table, audit log)', async () => {
    const before = { file: await readFile(running.file, 'utf8'), table: (await admin.get('/routes')).body, audit: (await auditLines()).length };
    const cases: [unknown, string][] = [
      [{ mode: 'canary' }, 'percent'],
      [{ mode: 'canary', percent: 150 }, 'percent'],
      [{ mode: 'sideways' }, 'mode'],
      [{ timeoutMs: '5s' }, 'timeoutMs'],
      [{ breaker: { errorRate: 2 } }, 'breaker.errorRate'],
      [{ shadow: { ignore: ['$.a['] } }, 'shadow.ignore'],
      [{ path: '/elsewhere' }, 'path'],
      [{ mode: null }, 'mode'],
    ];
    for (const [patch, field] of cases) {
      const refused = await admin.patch('products-json', patch);
      expect([JSON.stringify(patch), refused.status, refused.body.code]).toEqual([JSON.stringify(patch), 400, 'PROXY.INVALID_ROUTE_CHANGE']);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(refused.body.detail).toContain(field);
    }
    // Anything else malformed: a 400 problem too, never a 500.
    const raw = async (method: string, path: string, text: string) => {
      const response = await fetch(`${running.proxy.url}/_proxy/admin${path}`, { method, headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body: text });
      return [response.status, response.headers.get('content-type')?.split(';')[0]];
    };
    const junk = ['[]', '"text"', 'null', '12', '{"mode":', '{"mode":5}', '{"percent":"x","mode":"canary"}', '{"group":{}}', '{"rewrite":7}', '{"shadow":"yes"}', '{"breaker":[]}',
      '{"__proto__":{"mode":"api"}}', '{"timeoutMs":1e309}', `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`];
    for (const text of junk) expect([text.slice(0, 40), ...(await raw('PATCH', '/routes/products-json', text))]).toEqual([text.slice(0, 40), 400, 'application/problem+json']);
    for (const text of ['{}', '{"engaged":"yes"}', '[]', '{"engaged":true,"extra":1}']) expect([text, ...(await raw('PUT', '/kill-switch', text))]).toEqual([text, 400, 'application/problem+json']);
    expect((await admin.get('/audit?limit=-5')).status).toBe(400);
    expect((await admin.get('/audit?limit=abc')).status).toBe(400);
    expect((await admin.patch('no-such-route', { mode: 'api' })).body).toMatchObject({ status: 404, code: 'PROXY.ROUTE_NOT_FOUND' });
    expect(await readFile(running.file, 'utf8')).toBe(before.file);
    const after = (await admin.get('/routes')).body;
    expect([after.version, after.routes.map((r: { mode: string }) => r.mode)]).toEqual([before.table.version, before.table.routes.map((r: { mode: string }) => r.mode)]);
    expect((await auditLines()).length).toBe(before.audit);
  });

  it('kill switch: every route to legacy, kept in the file, audited; off again restores each mode', async () => {
    expect(await backendOf('/index.php?route=api/products')).toBe('api');
    expect((await admin.killSwitch(true)).body).toEqual({ killSwitch: true, changed: true });
    expect(await backendOf('/index.php?route=api/products')).toBe('legacy');
    expect(await readFile(running.file, 'utf8')).toMatch(/^killSwitch: true$/m);
    expect((await admin.get('/routes')).body.killSwitch).toBe(true);
    expect((await admin.killSwitch(true)).body).toEqual({ killSwitch: true, changed: false });

    expect((await admin.killSwitch(false)).body).toEqual({ killSwitch: false, changed: true });
    expect(await backendOf('/index.php?route=api/products')).toBe('api');
    expect(await readFile(running.file, 'utf8')).not.toContain('killSwitch');
    const switches = (await auditLines()).filter((line) => line.action === 'kill-switch');
    expect(switches.map((s) => [s.before.killSwitch, s.after.killSwitch, s.who.sub])).toEqual([
      [false, true, tokens.adminId],
      [true, false, tokens.adminId],
    ]);
    expect((await admin.call('PUT', '/kill-switch', { engaged: 'yes' })).status).toBe(400);
  });

  it('promotion gate: out of shadow only with a match rate at the threshold over the last N comparisons', async () => {
    const refusedEarly = await admin.patch('health-json', { mode: 'canary', percent: 10 });
    expect(refusedEarly.status).toBe(409);
    expect(refusedEarly.body).toMatchObject({ code: 'PROXY.PROMOTION_REFUSED', detail: expect.stringContaining(`has 0 shadow comparisons; promotion needs a match rate of 90 % of the last ${PROMOTION_WINDOW}`) });

    for (let i = 0; i < PROMOTION_WINDOW; i++) {
      expect(await backendOf('/index.php?route=api/health')).toBe('legacy');
      expect(await backendOf(`/index.php?route=api/product&id=${i + 1}`)).toBe('legacy');
    }
    await eventually(async () => {
      const { body: shadow } = await admin.get('/shadow');
      const compared = (name: string) => shadow.routes.find((r: { route: string }) => r.route === name)?.compared;
      return compared('health-json') === PROMOTION_WINDOW && compared('product-json') === PROMOTION_WINDOW;
    }, 10_000);

    // legacy's product JSON against the API, which has no such product yet: every copy mismatches.
    const refused = await admin.patch('product-json', { mode: 'api' });
    expect(refused.body).toMatchObject({ status: 409, code: 'PROXY.PROMOTION_REFUSED', detail: expect.stringContaining(`matched 0 % of its last ${PROMOTION_WINDOW} shadow comparisons; promotion needs 90 %`) });
    const promoted = await admin.patch('health-json', { mode: 'canary', percent: 10 });
    expect(promoted.status).toBe(200);
    expect(promoted.body.after).toMatchObject({ mode: 'canary', percent: 10, shadow: { ignore: ['database', 'checks'] } });
  });

  it('GET shadow: match rate per route, mismatches by kind, redacted samples', async () => {
    await backendOf('/index.php?route=api/product&id=9&token=s3cret-value');
    let product: any;
    await eventually(async () => {
      product = (await admin.get('/shadow')).body.routes.find((r: { route: string }) => r.route === 'product-json');
      return product.compared === PROMOTION_WINDOW + 1;
    }, 10_000);
    expect(product).toMatchObject({ mode: 'shadow', matched: 0, matchRate: 0, mismatches: { status: PROMOTION_WINDOW + 1, body: 0 }, gate: { open: false } });
    const sample = product.samples.at(-1);
    expect(sample).toMatchObject({ method: 'GET', kind: 'status', status: { legacy: 200, api: 404 }, differences: [{ path: 'status', legacy: 200, api: 404 }] });
    expect(sample.url).toBe('/index.php?route=api%2Fproduct&id=9&token=%5Bredacted%5D');
    expect(JSON.stringify(product)).not.toContain('s3cret');
    const health = (await admin.get('/shadow')).body.routes.find((r: { route: string }) => r.route === 'health-json');
    expect(health).toMatchObject({ mode: 'canary', compared: PROMOTION_WINDOW, matched: PROMOTION_WINDOW, matchRate: 1 });
  });

  it('GET progress: the API\'s share of requests and of routes, per route and overall', async () => {
    const { body: progress } = await admin.get('/progress');
    expect(progress.configured).toEqual({ routes: 3, onApi: 1.1, share: 1.1 / 3 });
    const hour = progress.windows.hour;
    const products = hour.perRoute.find((r: { route: string }) => r.route === 'products-json');
    expect(products).toMatchObject({ mode: 'api', legacy: 2, api: 3 });
    expect(products.apiShare).toBeCloseTo(3 / 5);
    expect(hour.requests.requests).toBe(hour.requests.api + hour.requests.legacy);
    expect(hour.routes).toMatchObject({ withTraffic: 3, servedByApi: 1 });
    expect(progress.windows.day.requests).toEqual(hour.requests);
    const scrape = await (await fetch(`${running.proxy.url}/metrics`)).text();
    const shares = metricSamples(scrape, 'proxy_api_share_ratio', ['route', 'window']);
    expect(shares.get('products-json 1h')).toBeCloseTo(0.6);
    expect(shares.get('_all 24h')).toBeCloseTo(hour.requests.apiShare);
  });

  it('audits a hand edit of the route file, one entry per changed route by the file, and puts it in force', async () => {
    const count = (await auditLines()).length;
    const text = await readFile(running.file, 'utf8');
    const edited = text.replace(/(- name: product-json[\s\S]*?mode: )shadow/, '$1legacy');
    expect(edited).not.toBe(text);
    await writeFile(running.file, edited);
    await eventually(async () => (await auditLines()).length > count);
    expect((await auditLines()).slice(count)).toEqual([
      expect.objectContaining({ who: { system: 'file' }, action: 'route.file-edit', route: 'product-json', before: expect.objectContaining({ mode: 'shadow' }), after: expect.objectContaining({ mode: 'legacy' }), file: expect.stringMatching(/^[0-9a-f]{16}$/) }),
    ]);
    expect((await admin.get('/routes')).body.routes.find((r: { name: string }) => r.name === 'product-json').mode).toBe('legacy');
    // Back by hand: audited again; an admin change seen by the watcher afterwards is not.
    await writeFile(running.file, text);
    await eventually(async () => (await auditLines()).length > count + 1);
    expect((await auditLines()).at(-1)).toMatchObject({ action: 'route.file-edit', route: 'product-json', after: { mode: 'shadow' } });
  });

  it('keeps the audit log, the changed table and the shadow results across a restart', async () => {
    const before = (await admin.get('/shadow')).body.routes.find((r: { route: string }) => r.route === 'product-json');
    await running.proxy.close();
    running.proxy.close = async () => undefined;
    const second = await startProxy({ legacyUrl: stack.shop.url, apiUrl: stack.api.url, env: { PROXY_ROUTES_FILE: running.file, ...SETTINGS } });
    try {
      const client = adminClient(second.url, tokens.admin);
      const audit = (await client.get('/audit')).body;
      expect(audit.map((e: { action: string; route?: string }) => `${e.action} ${e.route ?? ''}`.trim())).toEqual([
        'route.file-edit product-json',
        'route.file-edit product-json',
        'route.update health-json',
        'kill-switch',
        'kill-switch',
        'route.update products-json',
      ]);
      const routes = (await client.get('/routes')).body.routes;
      expect(routes.map((r: { mode: string }) => r.mode)).toEqual(['api', 'canary', 'shadow']);
      // The promotion gate still knows what the shadow copies showed before the restart.
      const after = (await client.get('/shadow')).body.routes.find((r: { route: string }) => r.route === 'product-json');
      expect(after).toEqual(before);
    } finally {
      await second.close();
    }
  });
});
