// Canary routes over real HTTP: sticky buckets by cookie (set by the proxy) or token subject, one
// bucket per route group, percentages raised by a hot reload, and the tester override on top.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { body, eventually } from '#testing';
import { metricSamples, proxyWithRoutes, type RunningProxy, startUpstream, type Upstream } from './proxy-harness.js';

const answerAs = (backend: 'legacy' | 'api') => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': `${backend}_seen=1; Path=/` }).end(backend);
};

const funnel = (percent: number) => `
routes:
  - { name: cart, methods: "*", path: /cart.php, mode: canary, percent: ${percent}, group: funnel }
  - { name: checkout, methods: "*", path: /checkout.php, mode: canary, percent: ${percent}, group: funnel }
  - { name: payment, methods: POST, path: /payment.php, mode: canary, percent: ${percent}, group: funnel }
  - { name: search, methods: GET, path: /search.php, mode: canary, percent: 50 }
`;

const newCookie = () => `ficus_bucket=${randomBytes(16).toString('base64url')}`;

/** The backend that served each request, in order; a few at a time. */
async function backendsFor(proxy: RunningProxy, requests: { path: string; headers?: Record<string, string> }[]): Promise<string[]> {
  const result: string[] = [];
  for (let i = 0; i < requests.length; i += 25) {
    const batch = requests.slice(i, i + 25).map(async ({ path, headers }) => {
      const response = await fetch(`${proxy.url}${path}`, { headers });
      const served = await response.text();
      expect([response.status, response.headers.get('x-ficus-backend')]).toEqual([200, served]);
      return served;
    });
    result.push(...(await Promise.all(batch)));
  }
  return result;
}

describe('legacy proxy: canary routes', () => {
  const upstreams = {} as { legacy: Upstream; api: Upstream };
  let running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  let proxy: RunningProxy;

  beforeAll(async () => {
    upstreams.legacy = await startUpstream(answerAs('legacy'));
    upstreams.api = await startUpstream(answerAs('api'));
    running = await proxyWithRoutes(upstreams, funnel(30));
    proxy = running.proxy;
  });
  afterAll(async () => {
    await running?.close();
    await upstreams.legacy?.close();
    await upstreams.api?.close();
  });

  it('sends about the configured share of shoppers to the API (1000 cookies at 30 %)', async () => {
    const served = await backendsFor(proxy, Array.from({ length: 1000 }, () => ({ path: '/cart.php', headers: { cookie: newCookie() } })));
    const share = served.filter((b) => b === 'api').length / served.length;
    expect(share).toBeGreaterThanOrEqual(0.25);
    expect(share).toBeLessThanOrEqual(0.35);
  });

  it('gives a new shopper a long-lived HttpOnly bucket cookie, next to the upstream\'s own cookies', async () => {
    const first = await fetch(`${proxy.url}/cart.php`);
    const cookies = first.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies.find((c) => c.startsWith('ficus_bucket='))).toMatch(/^ficus_bucket=[\w-]{22}; Path=\/; Max-Age=34560000; HttpOnly; SameSite=Lax$/);
    expect(cookies).toContain(`${await first.text()}_seen=1; Path=/`);
    // Known shoppers, and routes that are not canaries, get none.
    expect((await fetch(`${proxy.url}/cart.php`, { headers: { cookie: newCookie() } })).headers.getSetCookie()).toEqual([expect.stringMatching(/_seen=1/)]);
    expect((await fetch(`${proxy.url}/other.php`)).headers.getSetCookie()).toEqual(['legacy_seen=1; Path=/']);
  });

  it('keeps a shopper on one backend across requests and across the routes of a group', async () => {
    const seen = new Set<string>();
    for (let shopper = 0; shopper < 30; shopper++) {
      const first = await fetch(`${proxy.url}/cart.php`);
      const backend = await first.text();
      const cookie = first.headers.getSetCookie().find((c) => c.startsWith('ficus_bucket='))!.split(';')[0]!;
      seen.add(backend);
      const funnelSteps = [
        fetch(`${proxy.url}/cart.php`, { headers: { cookie } }),
        fetch(`${proxy.url}/checkout.php`, { headers: { cookie: `PHPSESSID=x; ${cookie}` } }),
        fetch(`${proxy.url}/payment.php`, { method: 'POST', body: 'card=1', headers: { cookie } }),
        fetch(`${proxy.url}/checkout.php?step=2`, { headers: { cookie } }),
      ];
      for (const response of await Promise.all(funnelSteps)) expect(await response.text()).toBe(backend);
    }
    // Thirty shoppers at 30 %: both backends take part (all on one side is 0.7^30 or 0.3^30).
    expect([...seen].sort()).toEqual(['api', 'legacy']);
  });

  it('buckets a client without cookies by its access token\'s subject (read, not verified)', async () => {
    const tokenFor = (sub: string) => `Bearer e30.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.sig`;
    const subjects = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const first = await backendsFor(proxy, subjects.map((sub) => ({ path: '/cart.php', headers: { authorization: tokenFor(sub) } })));
    const again = await backendsFor(proxy, subjects.map((sub) => ({ path: '/checkout.php', headers: { authorization: tokenFor(sub) } })));
    expect(again).toEqual(first);
    const response = await fetch(`${proxy.url}/cart.php`, { headers: { authorization: tokenFor('customer-1') } });
    expect(response.headers.getSetCookie().some((c) => c.startsWith('ficus_bucket='))).toBe(false);
  });

  it('marks canary answers Vary: Cookie, so no shared cache hands one shopper\'s backend to another', async () => {
    for (const path of ['/cart.php', '/checkout.php?step=2', '/search.php']) {
      const canary = await fetch(`${proxy.url}${path}`, { headers: { cookie: newCookie() } });
      await canary.text();
      expect([path, canary.headers.get('vary')]).toEqual([path, 'Cookie']);
    }
    const plain = await fetch(`${proxy.url}/other.php`);
    await plain.text();
    expect(plain.headers.get('vary')).toBeNull();
  });

  it('lets the tester override win over the bucket', async () => {
    const cookies = Array.from({ length: 60 }, newCookie);
    const buckets = await backendsFor(proxy, cookies.map((cookie) => ({ path: '/cart.php', headers: { cookie } })));
    const apiShopper = cookies[buckets.indexOf('api')]!;
    const legacyShopper = cookies[buckets.indexOf('legacy')]!;
    expect(await backendsFor(proxy, [
      { path: '/cart.php', headers: { cookie: apiShopper, 'x-ficus-backend': 'legacy' } },
      { path: '/cart.php', headers: { cookie: `${apiShopper}; ficus_backend=legacy` } },
      { path: '/cart.php', headers: { cookie: `ficus_backend=api; ${legacyShopper}` } },
    ])).toEqual(['legacy', 'legacy', 'api']);
  });

  it('counts requests per route name and backend on /metrics', async () => {
    const before = metricSamples(await (await fetch(`${proxy.url}/metrics`)).text(), 'proxy_requests_total', ['route', 'backend', 'status']);
    await backendsFor(proxy, [{ path: '/search.php?q=mug', headers: { cookie: newCookie() } }, { path: '/unknown/page-1' }, { path: '/unknown/page-2' }]);
    const scrape = await (await fetch(`${proxy.url}/metrics`)).text();
    const after = metricSamples(scrape, 'proxy_requests_total', ['route', 'backend', 'status']);
    const searches = ['api', 'legacy'].map((b) => (after.get(`search ${b} 200`) ?? 0) - (before.get(`search ${b} 200`) ?? 0));
    expect(searches.reduce((a, b) => a + b)).toBe(1);
    expect((after.get('unmatched legacy 200') ?? 0) - (before.get('unmatched legacy 200') ?? 0)).toBe(2);
    expect(after.get('cart api 200')).toBeGreaterThan(0);
    // Route names, never raw paths.
    expect([...after.keys()].every((key) => /^(cart|checkout|payment|search|unmatched) (api|legacy) \d{3}$/.test(key))).toBe(true);
    expect(scrape).toMatch(/^proxy_request_duration_seconds_count\{route="cart",backend="api"\} \d+$/m);
  });

  describe('raising the percentage', () => {
    it('keeps every shopper already on the API there and moves only some of the others', async () => {
      const cookies = Array.from({ length: 300 }, newCookie);
      const requests = cookies.map((cookie) => ({ path: '/checkout.php', headers: { cookie } }));
      const at30 = await backendsFor(proxy, requests);
      const version = (await body(await fetch(`${proxy.url}/_proxy/routes`))).version as number;
      await writeFile(running.file, funnel(60));
      await eventually(async () => (await body(await fetch(`${proxy.url}/_proxy/routes`))).version === version + 1, 5000);
      const at60 = await backendsFor(proxy, requests);
      expect(at30.every((backend, i) => backend === 'legacy' || at60[i] === 'api')).toBe(true);
      const moved = at30.filter((backend, i) => backend === 'legacy' && at60[i] === 'api').length;
      const stayed = at30.filter((backend, i) => backend === 'legacy' && at60[i] === 'legacy').length;
      expect(moved).toBeGreaterThan(0);
      expect(stayed).toBeGreaterThan(0);
      expect(at60.filter((b) => b === 'api').length / at60.length).toBeGreaterThan(0.5);
    });
  });
});
