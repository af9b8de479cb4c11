// api-with-fallback over real HTTP: a stand-in API that fails on demand (500, too slow, cut
// mid-body, not listening) and a legacy stand-in counting what reaches it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deadUrl, metricSamples, proxyWithRoutes, type RunningProxy, startUpstream, type Upstream } from './proxy-harness.js';

const ROUTES = `
routes:
  - { name: listing, methods: "*", path: /listing/*, mode: api-with-fallback, timeoutMs: 300 }
`;

function flakyApi(req: IncomingMessage, res: ServerResponse): void {
  const headers = { 'content-type': 'text/plain', 'x-api-only': 'yes', 'set-cookie': 'api_cookie=1' };
  if (req.url?.startsWith('/listing/500')) return void res.writeHead(500, headers).end('api failed');
  if (req.url?.startsWith('/listing/503')) return void res.writeHead(503, headers).end('api overloaded');
  if (req.url?.startsWith('/listing/slow-500')) return void setTimeout(() => res.writeHead(500, headers).end('api failed late'), 200);
  if (req.url?.startsWith('/listing/slow')) return void setTimeout(() => res.writeHead(200, headers).end('api late'), 1500);
  if (req.url?.startsWith('/listing/cut')) {
    res.writeHead(200, headers).write('api partial ');
    return void setTimeout(() => res.destroy(), 50);
  }
  res.writeHead(200, headers).end('api ok');
}

async function get(proxy: RunningProxy, path: string, init?: RequestInit) {
  const started = Date.now();
  const response = await fetch(`${proxy.url}${path}`, init);
  return {
    status: response.status,
    backend: response.headers.get('x-ficus-backend'),
    fallback: response.headers.get('x-ficus-fallback'),
    apiOnly: response.headers.get('x-api-only'),
    requestId: response.headers.get('x-request-id'),
    text: await response.text(),
    ms: Date.now() - started,
  };
}

describe('legacy proxy: api-with-fallback', () => {
  const upstreams = {} as { legacy: Upstream; api: Upstream };
  const legacyCalls: string[] = [];
  let running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  let proxy: RunningProxy;

  beforeAll(async () => {
    upstreams.legacy = await startUpstream((req, res) => {
      legacyCalls.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'legacy_cookie=1' }).end('legacy');
    });
    upstreams.api = await startUpstream((req, res) => flakyApi(req, res));
    running = await proxyWithRoutes(upstreams, ROUTES);
    proxy = running.proxy;
  });
  beforeEach(() => {
    legacyCalls.length = 0;
  });
  afterAll(async () => {
    await running?.close();
    await upstreams.legacy?.close();
    await upstreams.api?.close();
  });

  it('serves the API when it answers', async () => {
    expect(await get(proxy, '/listing/ok')).toMatchObject({ status: 200, backend: 'api', fallback: null, text: 'api ok' });
    expect(legacyCalls).toEqual([]);
  });

  it('falls back to legacy when the API answers 5xx, with none of the API\'s headers', async () => {
    const result = await get(proxy, '/listing/500?page=2');
    expect(result).toMatchObject({ status: 200, backend: 'legacy', fallback: '5xx', apiOnly: null, text: 'legacy' });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(legacyCalls).toEqual(['GET /listing/500?page=2']);
    // A 503 too, at once: no retries against the API first.
    expect(await get(proxy, '/listing/503', { method: 'HEAD' })).toMatchObject({ status: 200, backend: 'legacy', fallback: '5xx' });
    const cookies = (await fetch(`${proxy.url}/listing/500`)).headers.getSetCookie();
    expect(cookies).toEqual(['legacy_cookie=1']);
  });

  it('falls back when the API takes longer than the route\'s timeoutMs', async () => {
    const result = await get(proxy, '/listing/slow');
    expect(result).toMatchObject({ status: 200, backend: 'legacy', fallback: 'timeout', text: 'legacy' });
    expect(result.ms).toBeLessThan(1200);
  });

  it('never falls back or retries a POST: it gets the API\'s answer, or a 504 problem', async () => {
    expect(await get(proxy, '/listing/500', { method: 'POST', body: 'qty=1', headers: { 'idempotency-key': 'k-1' } })).toMatchObject({
      status: 500,
      backend: 'api',
      fallback: null,
      text: 'api failed',
    });
    const timedOut = await get(proxy, '/listing/slow', { method: 'POST', body: 'qty=1' });
    expect(timedOut).toMatchObject({ status: 504, backend: 'api', fallback: null });
    expect(JSON.parse(timedOut.text)).toMatchObject({ code: 'PROXY.UPSTREAM_UNAVAILABLE', requestId: timedOut.requestId });
    expect(legacyCalls).toEqual([]);
  });

  it('does not fall back once the API\'s answer has started reaching the client', async () => {
    const response = await fetch(`${proxy.url}/listing/cut`);
    expect([response.status, response.headers.get('x-ficus-backend')]).toEqual([200, 'api']);
    await expect(response.text()).rejects.toThrow();
    expect(legacyCalls).toEqual([]);
  });

  it('does not call legacy for a client that left while the API was failing', async () => {
    const leaving = new AbortController();
    const request = fetch(`${proxy.url}/listing/slow-500`, { signal: leaving.signal }).catch(() => 'gone');
    await new Promise((resolve) => setTimeout(resolve, 50));
    leaving.abort();
    expect(await request).toBe('gone');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(legacyCalls).toEqual([]);
  });

  it('lets a tester forcing the API see its failure', async () => {
    expect(await get(proxy, '/listing/500', { headers: { 'x-ficus-backend': 'api' } })).toMatchObject({ status: 500, backend: 'api', fallback: null });
  });

  it('counts fallbacks by route and reason, and the fallback\'s request under legacy', async () => {
    const scrape = await (await fetch(`${proxy.url}/metrics`)).text();
    const fallbacks = metricSamples(scrape, 'proxy_fallbacks_total', ['route', 'reason']);
    expect(Object.fromEntries(fallbacks)).toEqual({ 'listing 5xx': 3, 'listing timeout': 1 });
    const requests = metricSamples(scrape, 'proxy_requests_total', ['route', 'backend', 'status']);
    expect(requests.get('listing legacy 200')).toBe(4);
    expect(requests.get('listing api 500')).toBe(2);
    expect(requests.get('listing api 504')).toBe(1);
  });

  describe('with legacy not listening either', () => {
    let both: Awaited<ReturnType<typeof proxyWithRoutes>>;
    beforeAll(async () => {
      both = await proxyWithRoutes({ legacy: { url: await deadUrl() } as Upstream, api: upstreams.api }, ROUTES);
    });
    afterAll(() => both?.close());

    it('answers legacy\'s 502 problem, still marked as a fallback', async () => {
      const result = await get(both.proxy, '/listing/500');
      expect(result).toMatchObject({ status: 502, backend: 'legacy', fallback: '5xx', apiOnly: null });
      expect(JSON.parse(result.text)).toMatchObject({ detail: 'The legacy shop did not answer', requestId: result.requestId });
    });
  });

  describe('with the API not listening', () => {
    let down: Awaited<ReturnType<typeof proxyWithRoutes>>;
    beforeAll(async () => {
      down = await proxyWithRoutes({ legacy: upstreams.legacy, api: { url: await deadUrl() } as Upstream }, ROUTES);
    });
    afterAll(() => down?.close());

    it('serves GET from legacy, marked unreachable, and answers a POST 502', async () => {
      expect(await get(down.proxy, '/listing/ok')).toMatchObject({ status: 200, backend: 'legacy', fallback: 'unreachable', text: 'legacy' });
      const post = await get(down.proxy, '/listing/ok', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(post).toMatchObject({ status: 502, backend: 'api', fallback: null });
      expect((JSON.parse(post.text) as { detail: string }).detail).toBe('The new API did not answer');
      expect(legacyCalls).toEqual(['GET /listing/ok']);
      const scrape = await (await fetch(`${down.proxy.url}/metrics`)).text();
      expect(Object.fromEntries(metricSamples(scrape, 'proxy_fallbacks_total', ['route', 'reason']))).toEqual({ 'listing unreachable': 1 });
    });
  });
});
