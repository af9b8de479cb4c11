// The legacy proxy over real HTTP, in front of real upstream HTTP servers started here.
//
// `legacyShop` below is a node:http stand-in for the legacy PHP shop: it answers like one (HTML,
// PHPSESSID cookies, redirects, X-Powered-By) and echoes what it received so the tests can
// compare. It stays until the legacy-shop issue lands a real legacy container to run against.
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { body } from '#testing';
import { legacyForwarding } from '../src/routing/legacy-forwarding.js';
import type { UpstreamForwarding } from '../src/routing/upstream-forwarding.js';
import { deadUrl, requestCounts, type RunningProxy, sha256, startProxy, startUpstream, type Upstream } from './proxy-harness.js';

const PROBLEM = /^application\/problem\+json/;
const HTML = '<!DOCTYPE html>\n<html><head><title>Mug – Ficus Shop</title></head><body><h1>Caf\u00e9 mug</h1></body></html>\n';

/** What the legacy stand-in saw of a request. */
interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  length: number;
  sha256: string;
}

function legacyShop(req: IncomingMessage, res: ServerResponse, received: Buffer): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/catalog/mug.html') {
    res.writeHead(200, [
      ['Content-Type', 'text/html; charset=UTF-8'],
      ['Set-Cookie', 'PHPSESSID=5f2b9c0e1d; path=/; HttpOnly'],
      ['Set-Cookie', 'recently_viewed=42; path=/'],
      ['X-Powered-By', 'PHP/5.6.40'],
      ['X-Legacy-Page', 'catalog/mug'],
      ['Cache-Control', 'no-store, no-cache, must-revalidate'],
    ]);
    res.end(HTML);
    return;
  }
  if (path === '/login.php' && req.method === 'POST') {
    res.writeHead(302, [
      ['Location', '/account.php?welcome=1'],
      ['Set-Cookie', 'PHPSESSID=a11ce; path=/; HttpOnly'],
      ['Content-Type', 'text/html; charset=UTF-8'],
    ]);
    res.end('<a href="/account.php?welcome=1">Moved</a>');
    return;
  }
  if (path === '/account.php') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>If you can read this, the proxy followed the redirect</h1>');
    return;
  }
  if (path === '/with-own-csp.php') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "default-src 'self' 'unsafe-inline'" }).end(HTML);
    return;
  }
  if (path === '/gone.php') {
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
    return;
  }
  const echo: Echo = { method: req.method!, url: req.url!, headers: req.headers, length: received.length, sha256: sha256(received) };
  res.writeHead(200, { 'content-type': 'application/json', 'x-legacy-echo': 'yes' }).end(JSON.stringify(echo));
}

/** A stand-in for the new API's liveness endpoint, which readiness probes. */
function apiStandIn(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/health/live') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  else res.writeHead(404).end();
}

describe('legacy proxy: forwarding to the legacy shop', () => {
  let legacy: Upstream;
  let api: Upstream;
  let proxy: RunningProxy;
  const firstChunk = new Map<string, () => void>();

  beforeAll(async () => {
    legacy = await startUpstream(legacyShop, (req, res) => {
      // /stream-upload.php reports its first body chunk before the body has ended.
      if (!req.url?.startsWith('/stream-upload.php')) return false;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        if (chunks.length === 0) firstChunk.get(String(req.headers['x-upload-id']))?.();
        chunks.push(chunk);
      });
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(sha256(Buffer.concat(chunks))));
      return true;
    });
    api = await startUpstream(apiStandIn);
    proxy = await startProxy({ legacyUrl: legacy.url, apiUrl: api.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await legacy?.close();
    await api?.close();
  });

  const echoOf = async (response: Response): Promise<Echo> => {
    expect(response.status).toBe(200);
    expect(response.headers.get('x-legacy-echo')).toBe('yes');
    return (await body(response)) as Echo;
  };

  it('forwards unmatched routes with method, path and query intact', async () => {
    const path = '/catalog/search.php?q=caf%C3%A9+au+lait&cat[]=1&cat[]=2&empty=&sort=price%2Cdesc';
    const get = await echoOf(await fetch(`${proxy.url}${path}`, { headers: { cookie: 'PHPSESSID=5f2b9c0e1d', 'x-custom': 'kept' } }));
    expect(get).toMatchObject({ method: 'GET', url: path, length: 0 });
    expect(get.headers).toMatchObject({ cookie: 'PHPSESSID=5f2b9c0e1d', 'x-custom': 'kept' });

    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const echo = await echoOf(await fetch(`${proxy.url}/api.php/v1/cart/%E2%82%AC-mug?x=1`, { method }));
      expect(echo).toMatchObject({ method, url: '/api.php/v1/cart/%E2%82%AC-mug?x=1' });
    }
    // The root page is not one of the proxy's own routes either.
    expect((await echoOf(await fetch(`${proxy.url}/`))).url).toBe('/');
    // Paths next to the proxy's own routes still belong to legacy.
    expect((await echoOf(await fetch(`${proxy.url}/health/other.php`))).url).toBe('/health/other.php');
    expect((await echoOf(await fetch(`${proxy.url}/health/live`, { method: 'POST' }))).method).toBe('POST');
  });

  it("returns the legacy shop's status, headers and HTML body unchanged", async () => {
    const response = await fetch(`${proxy.url}/catalog/mug.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(response.headers.getSetCookie()).toEqual(['PHPSESSID=5f2b9c0e1d; path=/; HttpOnly', 'recently_viewed=42; path=/']);
    expect(response.headers.get('x-powered-by')).toBe('PHP/5.6.40');
    expect(response.headers.get('x-legacy-page')).toBe('catalog/mug');
    expect(response.headers.get('cache-control')).toBe('no-store, no-cache, must-revalidate');
    expect(await response.text()).toBe(HTML);

    const missing = await fetch(`${proxy.url}/gone.php`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html');
    expect(await missing.text()).toBe('<h1>Not found</h1>');
  });

  it('passes a redirect through without following it', async () => {
    const response = await fetch(`${proxy.url}/login.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=ann&pass=x',
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/account.php?welcome=1');
    expect(response.headers.getSetCookie()).toEqual(['PHPSESSID=a11ce; path=/; HttpOnly']);
    expect(await response.text()).toBe('<a href="/account.php?welcome=1">Moved</a>');
  });

  it('streams request bodies byte-for-byte whatever their content type', async () => {
    const cases: { name: string; body: string | Uint8Array; contentType?: string }[] = [
      { name: 'form', body: 'email=ann%40example.com&qty=2&note=caf%C3%A9+%26+cake&empty=', contentType: 'application/x-www-form-urlencoded' },
      // Odd whitespace, key order and a duplicate key: any JSON re-serialisation would change the bytes.
      { name: 'json', body: '{ "b" :1,\n\t"a": [ 1.50 , 2e3 ],  "a": "dup", "u": "\\u00e9" }\r\n', contentType: 'application/json' },
      { name: 'binary', body: new Uint8Array(randomBytes(64 * 1024)), contentType: 'application/octet-stream' },
      { name: 'binary without a content type', body: new Uint8Array(randomBytes(64 * 1024 + 7)) },
      { name: 'xml', body: '<?xml version="1.0"?>\n<order id="1"/>', contentType: 'text/xml; charset=ISO-8859-1' },
    ];
    for (const sent of cases) {
      const headers: Record<string, string> = sent.contentType ? { 'content-type': sent.contentType } : {};
      const echo = await echoOf(await fetch(`${proxy.url}/checkout/${sent.name.replace(/ /g, '-')}.php`, { method: 'POST', headers, body: sent.body }));
      const bytes = typeof sent.body === 'string' ? Buffer.from(sent.body) : sent.body;
      expect({ name: sent.name, length: echo.length, sha256: echo.sha256, contentType: echo.headers['content-type'] }).toEqual({
        name: sent.name,
        length: bytes.length,
        sha256: sha256(bytes),
        contentType: sent.contentType,
      });
    }
  });

  it('streams a request body to the legacy shop as it arrives, without buffering it first', async () => {
    const uploadId = randomBytes(4).toString('hex');
    const seen = new Promise<'first chunk seen'>((resolve) => firstChunk.set(uploadId, () => resolve('first chunk seen')));
    const first = randomBytes(16 * 1024);
    const second = randomBytes(16 * 1024);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}/stream-upload.php`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-upload-id': uploadId },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.write(first);
      // Only send the rest once the legacy shop has the first part: a buffering proxy would wait forever.
      void seen.then(() => req.end(second));
      setTimeout(() => req.end(second), 3000).unref();
    });
    const timeout = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 2000).unref());
    expect(await Promise.race([seen, timeout])).toBe('first chunk seen');
    expect(await answer).toEqual({ status: 200, text: sha256(Buffer.concat([first, second])) });
  });

  it('adds X-Request-Id to forwarded responses and passes a sane caller id on to legacy', async () => {
    const generated = await fetch(`${proxy.url}/catalog/mug.html`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const again = await fetch(`${proxy.url}/catalog/mug.html`);
    expect(again.headers.get('x-request-id')).not.toBe(generated.headers.get('x-request-id'));

    const given = await fetch(`${proxy.url}/echo.php`, { headers: { 'x-request-id': 'checkout-7f3a.1:retry-2' } });
    expect(given.headers.get('x-request-id')).toBe('checkout-7f3a.1:retry-2');
    expect((await echoOf(given)).headers['x-request-id']).toBe('checkout-7f3a.1:retry-2');

    const insane = await fetch(`${proxy.url}/echo.php`, { headers: { 'x-request-id': 'no spaces <allowed>' } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await insane.body?.cancel();
  });

  it("does not give legacy pages the API's security headers", async () => {
    const page = await fetch(`${proxy.url}/catalog/mug.html`);
    await page.body?.cancel();
    for (const header of [
      'content-security-policy',
      'strict-transport-security',
      'x-frame-options',
      'x-content-type-options',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'referrer-policy',
    ]) {
      expect([header, page.headers.get(header)]).toEqual([header, null]);
    }
    // A policy the legacy shop sends itself arrives as sent, not replaced.
    const own = await fetch(`${proxy.url}/with-own-csp.php`);
    await own.body?.cancel();
    expect(own.headers.get('content-security-policy')).toBe("default-src 'self' 'unsafe-inline'");
  });
});

describe('legacy proxy: legacy shop unavailable', () => {
  it('answers 502 problem+json with code PROXY.UPSTREAM_UNAVAILABLE when the legacy shop is down', async () => {
    const legacy = await startUpstream(legacyShop);
    const proxy = await startProxy({ legacyUrl: legacy.url, apiUrl: await deadUrl() });
    try {
      // A first request leaves a pooled keep-alive connection behind; then the shop goes away.
      expect((await fetch(`${proxy.url}/catalog/mug.html`)).status).toBe(200);
      await legacy.close();

      for (const [method, init] of [
        ['GET', {}],
        ['POST', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'qty=1' }],
      ] as const) {
        const response = await fetch(`${proxy.url}/cart.php?add=42`, init);
        expect([method, response.status]).toEqual([method, 502]);
        expect(response.headers.get('content-type')).toMatch(PROBLEM);
        const requestId = response.headers.get('x-request-id');
        expect(requestId).toBeTruthy();
        expect(await body(response)).toEqual({
          type: '/problems/upstream-unavailable',
          title: 'Upstream unavailable',
          status: 502,
          detail: 'The legacy shop did not answer',
          instance: '/cart.php',
          requestId,
          code: 'PROXY.UPSTREAM_UNAVAILABLE',
        });
      }
    } finally {
      await proxy.close();
      await legacy.close();
    }
  });

  // createProxyApp does not expose the upstream timeout (it is fixed at 30 s), so this checks the
  // forwarding itself, on a bare node:http server, with a short timeout.
  describe('with a short upstream timeout (forwarding alone)', () => {
    let hanging: Upstream;
    let forwarding: UpstreamForwarding;
    let server: Server;
    beforeAll(async () => {
      hanging = await startUpstream(() => undefined); // never answers
      forwarding = legacyForwarding({ legacyUrl: hanging.url, timeoutMs: 300 });
      server = createServer(forwarding.handle);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      await forwarding?.close();
      await hanging?.close();
    });

    it('answers 504 problem+json when the legacy shop hangs beyond the timeout', async () => {
      const started = Date.now();
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/slow/report.php`, { headers: { 'x-request-id': 'req-timeout-1' } });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.status).toBe(504);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      expect(await body(response)).toMatchObject({ status: 504, code: 'PROXY.UPSTREAM_UNAVAILABLE', requestId: 'req-timeout-1', instance: '/slow/report.php' });
    });
  });
});

describe('legacy proxy: health', () => {
  let legacy: Upstream;
  let api: Upstream;
  beforeAll(async () => {
    legacy = await startUpstream(legacyShop);
    api = await startUpstream(apiStandIn);
  });
  afterAll(async () => {
    await legacy?.close();
    await api?.close();
  });

  const withProxy = async (legacyUrl: string, apiUrl: string, check: (proxy: RunningProxy) => Promise<void>) => {
    const proxy = await startProxy({ legacyUrl, apiUrl });
    try {
      await check(proxy);
    } finally {
      await proxy.close();
    }
  };

  it('is live without asking the upstreams', async () => {
    await withProxy(await deadUrl(), await deadUrl(), async (proxy) => {
      const response = await fetch(`${proxy.url}/health/live`);
      expect(response.status).toBe(200);
      expect(await body(response)).toEqual({ status: 'ok' });
    });
  });

  it('is ready when the legacy shop and the API both answer', async () => {
    await withProxy(legacy.url, api.url, async (proxy) => {
      const response = await fetch(`${proxy.url}/health/ready`);
      expect(response.status).toBe(200);
      const result = await body(response);
      expect(result).toMatchObject({
        status: 'ok',
        checks: { legacy: { status: 'up', url: `${legacy.url}/index.php?route=api/health` }, api: { status: 'up', url: `${api.url}/health/live` } },
      });
      expect(Object.keys(result.checks).sort()).toEqual(['api', 'legacy']);
    });
  });

  it('is not ready (503, naming the upstream) when the API is down', async () => {
    const down = await deadUrl();
    await withProxy(legacy.url, down, async (proxy) => {
      const response = await fetch(`${proxy.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      const problem = await body(response);
      expect(problem).toMatchObject({ status: 503, code: 'HEALTH.NOT_READY', requestId: response.headers.get('x-request-id') });
      expect(problem.checks).toMatchObject({ legacy: { status: 'up' }, api: { status: 'down' } });
    });
  });

  it('is not ready (503, naming the upstream) when the legacy shop is down', async () => {
    await withProxy(await deadUrl(), api.url, async (proxy) => {
      const response = await fetch(`${proxy.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      const problem = await body(response);
      expect(problem).toMatchObject({ status: 503, code: 'HEALTH.NOT_READY' });
      expect(problem.checks).toMatchObject({ legacy: { status: 'down' }, api: { status: 'up' } });
    });
  });
});

/** A proxy in front of a fresh legacy shop (the API down) for the enclosing describe block. */
function proxyInFrontOfLegacy(): { legacy: Upstream; proxy: RunningProxy } {
  const running = {} as { legacy: Upstream; proxy: RunningProxy };
  beforeAll(async () => {
    running.legacy = await startUpstream(legacyShop);
    running.proxy = await startProxy({ legacyUrl: running.legacy.url, apiUrl: await deadUrl() });
  });
  afterAll(async () => {
    await running.proxy?.close();
    await running.legacy?.close();
  });
  return running;
}

describe('legacy proxy: metrics', () => {
  const running = proxyInFrontOfLegacy();

  it("counts forwarded requests under the catch-all route and the proxy's own routes under theirs", async () => {
    for (const path of ['/catalog/mug.html', '/catalog/mug.html?page=2', '/search.php?q=mug']) {
      await (await fetch(`${running.proxy.url}${path}`)).text();
    }
    await (await fetch(`${running.proxy.url}/gone.php`)).text();
    await (await fetch(`${running.proxy.url}/cart.php`, { method: 'POST', body: 'qty=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).text();
    await (await fetch(`${running.proxy.url}/health/live`)).text();
    await (await fetch(`${running.proxy.url}/health/live`)).text();

    const scrape = await fetch(`${running.proxy.url}/metrics`);
    expect(scrape.status).toBe(200);
    const counts = requestCounts(await scrape.text());
    expect(Object.fromEntries(counts)).toEqual({
      'GET /* 200': 3,
      'GET /* 404': 1,
      'POST /* 200': 1,
      'GET /health/live 200': 2,
    });

    // The scrape itself is counted once it has been sent.
    const second = requestCounts(await (await fetch(`${running.proxy.url}/metrics`)).text());
    expect(second.get('GET /metrics 200')).toBe(1);
  });
});

describe('legacy proxy: shutdown', () => {
  it('closes its pooled upstream connections when it shuts down', async () => {
    const legacy = await startUpstream(legacyShop);
    const proxy = await startProxy({ legacyUrl: legacy.url, apiUrl: await deadUrl() });
    const open = () => new Promise<number>((resolve) => legacy.server.getConnections((_error, count) => resolve(count)));
    try {
      await Promise.all(Array.from({ length: 5 }, () => fetch(`${proxy.url}/catalog/mug.html`).then((r) => r.text())));
      expect(await open()).toBeGreaterThan(0);
      await proxy.close();
      const deadline = Date.now() + 2000;
      while ((await open()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await open()).toBe(0);
    } finally {
      await proxy.close().catch(() => undefined);
      await legacy.close();
    }
  });
});

describe('legacy proxy: concurrency', () => {
  const running = proxyInFrontOfLegacy();

  const wave = (size: number, tag: string) =>
    Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const response = await fetch(`${running.proxy.url}/product.php?id=${tag}-${i}`);
        const echo = response.status === 200 ? ((await response.json()) as Echo) : null;
        return { status: response.status, url: echo?.url };
      }),
    );

  it('serves 200 concurrent requests, each with its own answer, over a bounded keep-alive pool', async () => {
    const before = running.legacy.connections;
    const first = await wave(200, 'a');
    expect(first.filter((r) => r.status !== 200)).toEqual([]);
    // Every caller got the answer to its own request (no crossed responses).
    expect(first.map((r) => r.url)).toEqual(Array.from({ length: 200 }, (_, i) => `/product.php?id=a-${i}`));
    const afterFirst = running.legacy.connections - before;
    expect(afterFirst).toBeGreaterThan(0);
    expect(afterFirst).toBeLessThanOrEqual(128); // the pool's connection limit

    // A second wave reuses the pooled sockets instead of opening 200 more.
    const second = await wave(200, 'b');
    expect(second.every((r) => r.status === 200)).toBe(true);
    expect(running.legacy.connections - before).toBeLessThanOrEqual(128);
  });

  it('reuses one upstream connection for sequential requests', async () => {
    const before = running.legacy.connections;
    for (let i = 0; i < 20; i++) {
      expect((await fetch(`${running.proxy.url}/product.php?id=seq-${i}`).then((r) => r.json() as Promise<Echo>)).url).toBe(`/product.php?id=seq-${i}`);
    }
    expect(running.legacy.connections - before).toBeLessThanOrEqual(1);
  });
});
