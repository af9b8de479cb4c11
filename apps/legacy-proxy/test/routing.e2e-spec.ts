// The proxy's route table over real HTTP: two node:http stand-ins, one for the legacy shop and
// one for the new API, each echoing what it received, and a route file in a temporary folder.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { body, eventually, LogCapture, runTsCommand } from '#testing';
import { deadUrl, proxyWithRoutes, type RunningProxy, startProxy, startUpstream, type Upstream } from './proxy-harness.js';

interface Echo {
  backend: 'legacy' | 'api';
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
}

const echoFrom = (backend: Echo['backend']) => (req: IncomingMessage, res: ServerResponse) => {
  const echo = { backend, method: req.method, url: req.url, headers: req.headers };
  const upstreamId = req.headers['x-answer-with-request-id'];
  res.writeHead(200, { 'content-type': 'application/json', ...(upstreamId && { 'x-request-id': upstreamId }) }).end(JSON.stringify(echo));
};

const ROUTES = `
routes:
  - name: product-view
    methods: [GET, HEAD]
    path: /index.php
    query: { route: product/view, id: ":id" }
    mode: api
    rewrite: /api/v1/products/:id
  - name: new-api
    methods: "*"
    path: /api/v1/*
    mode: api
  - name: cart-add
    methods: POST
    path: /index.php
    query: { route: cart/add }
    mode: legacy
  - name: checkout
    methods: "*"
    path: /checkout.php
    mode: shadow
`;

async function call(proxy: RunningProxy, path: string, init?: RequestInit): Promise<{ via: string | null; echo: Echo; response: Response }> {
  const response = await fetch(`${proxy.url}${path}`, init);
  expect(response.status).toBe(200);
  return { via: response.headers.get('x-ficus-backend'), echo: (await body(response)) as Echo, response };
}

const tableVersion = async (proxy: RunningProxy): Promise<number> => (await body(await fetch(`${proxy.url}/_proxy/routes`))).version;

describe('legacy proxy: route table', () => {
  const upstreams = {} as { legacy: Upstream; api: Upstream };
  let running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  let proxy: RunningProxy;

  beforeAll(async () => {
    upstreams.legacy = await startUpstream(echoFrom('legacy'));
    upstreams.api = await startUpstream(echoFrom('api'));
    running = await proxyWithRoutes(upstreams, ROUTES);
    proxy = running.proxy;
  });
  afterAll(async () => {
    await running?.close();
    await upstreams.legacy?.close();
    await upstreams.api?.close();
  });

  it('sends a cut-over route to the API, rewritten, keeping the query parameters it did not match on', async () => {
    const { via, echo } = await call(proxy, '/index.php?route=product/view&id=42&utm_source=mail%20x');
    expect(via).toBe('api');
    expect(echo).toMatchObject({ backend: 'api', method: 'GET', url: '/api/v1/products/42?utm_source=mail%20x' });
    const head = await fetch(`${proxy.url}/index.php?id=7&route=product%2Fview`, { method: 'HEAD' });
    expect([head.status, head.headers.get('x-ficus-backend')]).toEqual([200, 'api']);
  });

  it('matches by method, path and query: other methods, paths or parameters stay on legacy', async () => {
    for (const [method, path] of [
      ['POST', '/index.php?route=product/view&id=42'],
      ['GET', '/index.php?route=product/view'],
      ['GET', '/index.php?route=product/list'],
      ['GET', '/product.php?route=product/view&id=42'],
      ['POST', '/index.php?route=cart/add'],
    ] as const) {
      const { via, echo } = await call(proxy, path, { method, ...(method === 'POST' && { body: 'qty=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }) });
      expect([method, path, via, echo.backend, echo.url]).toEqual([method, path, 'legacy', 'legacy', path]);
    }
    const { via, echo } = await call(proxy, '/api/v1/products?page=2', { method: 'DELETE' });
    expect([via, echo.backend, echo.url, echo.method]).toEqual(['api', 'api', '/api/v1/products?page=2', 'DELETE']);
  });

  it('sends anything unmatched to legacy, and serves modes not implemented yet (shadow) from legacy', async () => {
    for (const path of ['/', '/catalog/mug.html?q=caf%C3%A9', '/api/v2/products']) {
      const { via, echo } = await call(proxy, path);
      expect([via, echo.backend, echo.url]).toEqual(['legacy', 'legacy', path]);
    }
    expect((await call(proxy, '/checkout.php')).via).toBe('legacy');
  });

  it('lets a tester force the backend for one request with the X-Ficus-Backend header or the ficus_backend cookie', async () => {
    const toApi = await call(proxy, '/catalog/mug.html?x=1', { headers: { 'x-ficus-backend': 'api' } });
    expect([toApi.via, toApi.echo.backend, toApi.echo.url]).toEqual(['api', 'api', '/catalog/mug.html?x=1']);
    // The override is the proxy's, not the upstream's business.
    expect(toApi.echo.headers['x-ficus-backend']).toBeUndefined();

    const toLegacy = await call(proxy, '/index.php?route=product/view&id=42', { headers: { cookie: 'PHPSESSID=abc; ficus_backend=legacy' } });
    expect([toLegacy.via, toLegacy.echo.backend, toLegacy.echo.url]).toEqual(['legacy', 'legacy', '/index.php?route=product/view&id=42']);
    expect(toLegacy.echo.headers.cookie).toBe('PHPSESSID=abc; ficus_backend=legacy');

    // Forced to the API, a route with a rewrite is rewritten as when cut over.
    const viaCookie = await call(proxy, '/index.php?route=cart/add', { method: 'POST', body: 'qty=1', headers: { cookie: 'ficus_backend=api' } });
    expect([viaCookie.via, viaCookie.echo.backend, viaCookie.echo.url]).toEqual(['api', 'api', '/index.php?route=cart/add']);
    const headerFirst = await call(proxy, '/index.php?route=product/view&id=9', { headers: { 'x-ficus-backend': 'api', cookie: 'ficus_backend=legacy' } });
    expect([headerFirst.via, headerFirst.echo.url]).toEqual(['api', '/api/v1/products/9']);

    // Any other value is ignored.
    expect((await call(proxy, '/catalog/mug.html', { headers: { 'x-ficus-backend': 'both' } })).via).toBe('legacy');
  });

  it('sends our request id upstream and answers with it, naming an upstream id that differs', async () => {
    const generated = await call(proxy, '/index.php?route=product/view&id=1');
    expect(generated.echo.headers['x-request-id']).toBe(generated.response.headers.get('x-request-id'));
    expect(generated.echo.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const insane = await call(proxy, '/page.php', { headers: { 'x-request-id': 'no spaces <allowed>' } });
    expect(insane.echo.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(insane.response.headers.get('x-request-id')).toBe(insane.echo.headers['x-request-id']);

    const own = await call(proxy, '/page.php', { headers: { 'x-request-id': 'ours-1', 'x-answer-with-request-id': 'php-77' } });
    expect(own.echo.headers['x-request-id']).toBe('ours-1');
    expect(own.response.headers.get('x-request-id')).toBe('ours-1');
    expect(own.response.headers.get('x-upstream-request-id')).toBe('php-77');
    expect(generated.response.headers.get('x-upstream-request-id')).toBeNull();
  });

  it('tells the backends who asked with X-Forwarded-For, -Proto and -Host, never what the client claimed', async () => {
    const { echo } = await call(proxy, '/page.php', { headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-host': 'evil.example' } });
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(echo.headers['x-forwarded-proto']).toBe('http');
    expect(echo.headers['x-forwarded-host']).toBe(new URL(proxy.url).host);
  });

  it('shows the running table read-only at GET /_proxy/routes', async () => {
    const response = await fetch(`${proxy.url}/_proxy/routes`);
    expect(response.status).toBe(200);
    const table = await body(response);
    expect(table).toMatchObject({ file: running.file, version: 1 });
    expect(table.routes.map((r: { name: string; mode: string }) => `${r.name}:${r.mode}`)).toEqual(['product-view:api', 'new-api:api', 'cart-add:legacy', 'checkout:shadow']);
    expect((await fetch(`${proxy.url}/_proxy/routes`, { method: 'PUT', body: '{}' })).headers.get('x-ficus-backend')).toBe('legacy');
  });
});

describe('legacy proxy: route table problems', () => {
  it('answers 502 naming the API when a cut-over route cannot reach it', async () => {
    const legacy = await startUpstream(echoFrom('legacy'));
    const api = { url: await deadUrl() } as Upstream;
    const running = await proxyWithRoutes({ legacy, api }, ROUTES);
    try {
      const response = await fetch(`${running.proxy.url}/api/v1/products`);
      expect(response.status).toBe(502);
      expect(response.headers.get('x-ficus-backend')).toBe('api');
      expect(await body(response)).toMatchObject({ status: 502, detail: 'The new API did not answer', code: 'PROXY.UPSTREAM_UNAVAILABLE' });
    } finally {
      await running.close();
      await legacy.close();
    }
  });

  it('keeps /_proxy/routes off unless PROXY_EXPOSE_ROUTES=true (the path then belongs to legacy)', async () => {
    const legacy = await startUpstream(echoFrom('legacy'));
    const proxy = await startProxy({ legacyUrl: legacy.url, apiUrl: await deadUrl() });
    try {
      const { via, echo } = await call(proxy, '/_proxy/routes');
      expect([via, echo.backend]).toEqual(['legacy', 'legacy']);
    } finally {
      await proxy.close();
      await legacy.close();
    }
  });

  it('refuses to start on an invalid route file: exit 1 and a message naming the file, entry and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ficus-routes-'));
    const file = join(dir, 'routes.yaml');
    await writeFile(file, 'routes:\n  - name: product-view\n    methods: GET\n    path: /index.php\n    mode: apii\n');
    try {
      const result = await runTsCommand('apps/legacy-proxy/src/main.ts', [], {
        env: { PROXY_ROUTES_FILE: file, PROXY_PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: undefined, REDIS_URL: '' },
      });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`Route file ${file} is invalid:`);
      expect(result.output).toContain('routes[0] "product-view": mode: must be one of legacy, api, canary, shadow, api-with-fallback (got "apii")');
      expect(result.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses to start when PROXY_ROUTES_FILE names a missing file', async () => {
    const legacy = await startUpstream(echoFrom('legacy'));
    try {
      await expect(startProxy({ legacyUrl: legacy.url, apiUrl: legacy.url, env: { PROXY_ROUTES_FILE: '/nonexistent/routes.yaml' } })).rejects.toThrow(
        'Route file /nonexistent/routes.yaml is invalid:\n  - the file does not exist (PROXY_ROUTES_FILE)',
      );
    } finally {
      await legacy.close();
    }
  });
});

describe('legacy proxy: route table hot reload', () => {
  const upstreams = {} as { legacy: Upstream; api: Upstream };
  const held: (() => void)[] = [];
  let heldArrived = 0;

  beforeAll(async () => {
    upstreams.legacy = await startUpstream(echoFrom('legacy'));
    const apiEcho = echoFrom('api');
    // /api/v1/held answers only when the test lets it: a request in flight across a reload.
    upstreams.api = await startUpstream((req, res) => {
      if (!req.url?.startsWith('/api/v1/held')) return apiEcho(req, res);
      heldArrived += 1;
      held.push(() => apiEcho(req, res));
    });
  });
  afterAll(async () => {
    held.forEach((release) => release());
    await upstreams.legacy?.close();
    await upstreams.api?.close();
  });

  const reloadedTo = (proxy: RunningProxy, version: number) => eventually(async () => (await tableVersion(proxy)) === version, 5000);
  const productViewAs = (mode: 'legacy' | 'api') => ROUTES.replace('    mode: api\n    rewrite: /api/v1/products/:id', mode === 'api' ? '    mode: api\n    rewrite: /api/v1/products/:id' : '    mode: legacy');

  it('applies a saved change without a restart, serving every request meanwhile', async () => {
    const logs = new LogCapture();
    const running = await proxyWithRoutes(upstreams, ROUTES, logs);
    const { proxy } = running;
    try {
      expect((await call(proxy, '/index.php?route=product/view&id=42')).via).toBe('api');
      let stop = false;
      const statuses: number[] = [];
      const traffic = (async () => {
        while (!stop) statuses.push((await fetch(`${proxy.url}/index.php?route=product/view&id=42`).then(async (r) => (await r.text(), r.status))));
      })();

      // Saved as editors and config maps do: a new file renamed over the old one.
      await writeFile(`${running.file}.tmp`, productViewAs('legacy'));
      await rename(`${running.file}.tmp`, running.file);
      await reloadedTo(proxy, 2);
      stop = true;
      await traffic;

      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const after = await call(proxy, '/index.php?route=product/view&id=42');
      expect([after.via, after.echo.url]).toEqual(['legacy', '/index.php?route=product/view&id=42']);
      expect(logs.lines.some((line) => line.msg === `route table reloaded from ${running.file}` && line.version === 2)).toBe(true);

      // Written in place this time, and back to the API.
      await writeFile(running.file, productViewAs('api'));
      await reloadedTo(proxy, 3);
      expect((await call(proxy, '/index.php?route=product/view&id=42')).echo.url).toBe('/api/v1/products/42');
    } finally {
      await running.close();
    }
  });

  it('rejects an invalid change with a log line naming the entry, and keeps the running table', async () => {
    const logs = new LogCapture();
    const running = await proxyWithRoutes(upstreams, ROUTES, logs);
    const { proxy } = running;
    try {
      await writeFile(running.file, ROUTES.replace('path: /api/v1/*\n    mode: api', 'path: /api/v1/*\n    mode: apii'));
      await eventually(() => logs.lines.some((line) => String(line.msg).startsWith('route file change rejected')), 5000);
      const rejected = logs.lines.find((line) => String(line.msg).startsWith('route file change rejected'))!;
      expect(rejected).toMatchObject({ level: 40, file: running.file, version: 1 });
      expect(rejected.problems).toEqual(['routes[1] "new-api": mode: must be one of legacy, api, canary, shadow, api-with-fallback (got "apii")']);

      expect(await tableVersion(proxy)).toBe(1);
      expect((await call(proxy, '/api/v1/products')).via).toBe('api');
      expect((await call(proxy, '/index.php?route=product/view&id=1')).echo.url).toBe('/api/v1/products/1');

      // Not YAML at all (a half-written save) is refused the same way; the next good save applies.
      await writeFile(running.file, 'routes:\n  - name: [unclosed\n');
      await eventually(() => logs.lines.filter((line) => String(line.msg).startsWith('route file change rejected')).length === 2, 5000);
      expect(await tableVersion(proxy)).toBe(1);
      await writeFile(running.file, productViewAs('legacy'));
      await reloadedTo(proxy, 2);
      expect((await call(proxy, '/index.php?route=product/view&id=1')).via).toBe('legacy');
    } finally {
      await running.close();
    }
  });

  it('finishes a request in flight on the backend it started with when a reload moves its route', async () => {
    const running = await proxyWithRoutes(upstreams, ROUTES);
    const { proxy } = running;
    try {
      const before = heldArrived;
      const inFlight = fetch(`${proxy.url}/api/v1/held?n=1`);
      await eventually(() => heldArrived === before + 1, 5000);

      await writeFile(running.file, ROUTES.replace('path: /api/v1/*\n    mode: api', 'path: /api/v1/*\n    mode: legacy'));
      await reloadedTo(proxy, 2);
      const moved = await call(proxy, '/api/v1/held?n=2');
      expect([moved.via, moved.echo.backend]).toEqual(['legacy', 'legacy']);

      held.shift()!();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ficus-backend')).toBe('api');
      expect(await body(response)).toMatchObject({ backend: 'api', url: '/api/v1/held?n=1' });
    } finally {
      await running.close();
    }
  });
});
