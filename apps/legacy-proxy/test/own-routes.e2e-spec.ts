// Which requests the proxy keeps for Nest on Fastify (its own routes) and which it forwards below
// them, and what a forwarded request still gets from the platform: its log line, its metric, the
// X-Forwarded-* of a trusted load balancer.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { body, LogCapture } from '#testing';
import { proxyWithRoutes, requestCounts, type RunningProxy, sha256, startProxy, startUpstream, type Upstream } from './proxy-harness.js';

const PROBLEM = /^application\/problem\+json/;

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  sha256: string;
}

describe('legacy proxy: its own routes and the forwarded rest', () => {
  const seen: string[] = [];
  const upstreams = {} as { legacy: Upstream; api: Upstream };
  const logs = new LogCapture();
  let running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  let proxy: RunningProxy;

  beforeAll(async () => {
    const echo = (req: IncomingMessage, res: ServerResponse, received: Buffer) => {
      seen.push(`${req.method} ${req.url}`);
      const answer: Echo = { method: req.method!, url: req.url!, headers: req.headers as Echo['headers'], sha256: sha256(received) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    };
    upstreams.legacy = await startUpstream(echo);
    upstreams.api = await startUpstream(echo);
    running = await proxyWithRoutes(upstreams, 'routes: []\n', logs);
    proxy = running.proxy;
  });
  afterAll(async () => {
    await running?.close();
    await upstreams.legacy?.close();
    await upstreams.api?.close();
  });

  it('answers health, metrics and admin paths itself and forwards none of them', async () => {
    seen.length = 0;
    const live = await fetch(`${proxy.url}/health/live`);
    expect([live.status, await body(live)]).toEqual([200, { status: 'ok' }]);
    const head = await fetch(`${proxy.url}/health/live`, { method: 'HEAD' });
    expect([head.status, head.headers.get('x-ficus-backend')]).toEqual([200, null]);
    const metrics = await fetch(`${proxy.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_requests_total');
    const admin = await fetch(`${proxy.url}/_proxy/admin/routes`);
    expect([admin.status, admin.headers.get('content-type')]).toEqual([401, expect.stringMatching(PROBLEM)]);
    await admin.body?.cancel();
    for (const [method, path] of [
      ['GET', '/_proxy/admin/no-such-thing'],
      ['DELETE', '/_proxy/admin'],
    ]) {
      const missing = await fetch(`${proxy.url}${path}`, { method });
      expect([method, path, missing.status, (await body(missing)).code]).toEqual([method, path, 404, 'PROXY.ADMIN_ROUTE_NOT_FOUND']);
    }
    const table = await fetch(`${proxy.url}/_proxy/routes`);
    expect([table.status, (await body(table)).file]).toEqual([200, running.file]);
    expect(seen).toEqual([]);
  });

  it('forwards the neighbours of its own paths: another method, a longer path, another case, a trailing slash', async () => {
    seen.length = 0;
    const neighbours = [
      ['POST', '/metrics'],
      ['GET', '/metrics/extra?x=1'],
      ['GET', '/health/live/'],
      ['GET', '/Health/live'],
      ['PUT', '/_proxy/routes'],
      ['GET', '/_proxyx/admin'],
    ];
    for (const [method, path] of neighbours) {
      const response = await fetch(`${proxy.url}${path}`, { method });
      expect([method, path, response.status, response.headers.get('x-ficus-backend')]).toEqual([method, path, 200, 'legacy']);
      await response.body?.cancel();
    }
    expect(seen).toEqual(neighbours.map(([method, path]) => `${method} ${path}`));
  });

  it('leaves a path Fastify cannot read (bad percent-encoding) to Fastify: 400 problem+json, nothing forwarded', async () => {
    seen.length = 0;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1', () => socket.write('GET /shop/%zz.php HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(seen).toEqual([]);
  });

  it('writes the platform request log line and metric for a forwarded request, under the catch-all route', async () => {
    const before = requestCounts(await (await fetch(`${proxy.url}/metrics`)).text()).get('GET /* 200') ?? 0;
    const response = await fetch(`${proxy.url}/page.php?token=s3cret&x=1`, { headers: { 'x-request-id': 'log-line-1', cookie: 'PHPSESSID=abc' } });
    expect(response.status).toBe(200);
    await response.text();
    const line = logs.requestLines().find((entry) => entry.requestId === 'log-line-1');
    expect(line).toMatchObject({
      level: 30,
      msg: 'GET /* 200',
      route: '/*',
      status: 200,
      req: { method: 'GET', url: '/page.php?token=[Redacted]&x=1', remoteAddress: '127.0.0.1', headers: { cookie: '[Redacted]' } },
    });
    expect(typeof line!.responseTime).toBe('number');
    const after = requestCounts(await (await fetch(`${proxy.url}/metrics`)).text()).get('GET /* 200');
    expect(after).toBe(before + 1);
  });

  it('streams a body sent with Expect: 100-continue once Node has said continue', async () => {
    const payload = 'qty=3&sku=MUG-1';
    const answer = await new Promise<{ status: number; echo: Echo }>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}/cart.php`, {
        method: 'POST',
        headers: { expect: '100-continue', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) },
      });
      req.on('continue', () => req.end(payload));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, echo: JSON.parse(text) as Echo }));
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(200);
    expect(answer.echo.sha256).toBe(sha256(payload));
    expect(answer.echo.headers.expect).toBeUndefined();
  });
});

describe('legacy proxy: behind a trusted load balancer (TRUST_PROXY=true)', () => {
  it('keeps the X-Forwarded-For chain and protocol the load balancer vouched for, adding its own hop', async () => {
    const legacy = await startUpstream((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: req.headers })));
    const logs = new LogCapture();
    const proxy = await startProxy({ legacyUrl: legacy.url, apiUrl: legacy.url, env: { TRUST_PROXY: 'true', LOG_LEVEL: 'info' }, logs });
    try {
      const response = await fetch(`${proxy.url}/page.php`, { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.2', 'x-forwarded-proto': 'http, https', 'x-request-id': 'trusted-1' } });
      const { headers } = (await body(response)) as { headers: Record<string, string> };
      expect(headers['x-forwarded-for']).toBe('203.0.113.7, 10.0.0.2, 127.0.0.1');
      expect(headers['x-forwarded-proto']).toBe('https');
      expect(headers['x-forwarded-host']).toBe(new URL(proxy.url).host);
      expect(logs.requestLines().find((line) => line.requestId === 'trusted-1')).toMatchObject({ req: { remoteAddress: '203.0.113.7' } });
    } finally {
      await proxy.close();
      await legacy.close();
    }
  });
});
