// The "correct proxying" rules the other specs do not already cover, over real sockets: public
// origins in Location and cookie domains, hop-by-hop headers both ways, websocket tunnels,
// request smuggling and malformed requests, client aborts, and the tester override switched off.
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { eventually } from '#testing';
import { proxyWithRoutes, startUpstream, type Upstream } from './proxy-harness.js';

const ROUTES = `routes:
  - name: live-updates
    methods: GET
    path: /ws/*
    mode: api
    rewrite: /api/v1/ws/*
`;

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** One raw HTTP/1.1 exchange: what came back before the server closed or `until` matched. */
function rawExchange(port: number, payload: string, until: (text: string) => boolean = () => false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (until(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

function get(url: string, headers: Record<string, string | string[]>): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ res, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const LARGE_CHUNKS = 384;
const largeChunk = (n: number) => Buffer.alloc(64 * 1024, n % 251);
const LARGE_SHA256 = (() => {
  const hash = createHash('sha256');
  for (let n = 1; n <= LARGE_CHUNKS; n++) hash.update(largeChunk(n));
  return hash.digest('hex');
})();

describe('legacy proxy: correct proxying', () => {
  const seen: Seen[] = [];
  const upstreams = {} as { legacy: Upstream; api: Upstream };
  const held = { requests: 0, closed: 0 };
  let running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  let port: number;
  let legacyOrigin: string;

  beforeAll(async () => {
    const handler = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
      seen.push({ url: req.url!, headers: req.headers });
      const path = req.url!.split('?')[0];
      if (path === '/redirect-internal') return void res.writeHead(302, { location: `${legacyOrigin}/account.php?x=1#top`, 'set-cookie': 'PHPSESSID=abc; Domain=localhost; Path=/' }).end();
      if (path === '/redirect-elsewhere') return void res.writeHead(302, { location: 'https://payments.example.com/pay?x=1' }).end();
      if (path === '/cookies') {
        return void res
          .writeHead(200, [
            ['Set-Cookie', 'sid=1; Domain=localhost; Path=/; HttpOnly'],
            ['Set-Cookie', 'theme=dark; domain=.localhost; Path=/'],
            ['Set-Cookie', 'tracker=9; Domain=.example.org; Path=/'],
            ['Content-Type', 'text/plain'],
          ])
          .end('ok');
      }
      if (path === '/hop-by-hop') {
        return void res
          .writeHead(200, [
            ['Connection', 'X-Internal'],
            ['X-Internal', 'do not pass on'],
            ['Keep-Alive', 'timeout=99'],
            ['Proxy-Authenticate', 'Basic realm="inner"'],
            ['X-Kept', 'yes'],
            ['Content-Type', 'text/plain'],
          ])
          .end('ok');
      }
      if (path === '/large') {
        // 24 MiB in 64 KiB chunks, written as fast as the proxy takes them.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-body-sha256': LARGE_SHA256, 'x-odd': ['1', '2'], constructor: 'a header' });
        let sent = 0;
        const more = () => {
          while (sent < LARGE_CHUNKS) {
            sent += 1;
            if (!res.write(largeChunk(sent))) return void res.once('drain', more);
          }
          res.end();
        };
        return more();
      }
      if (path === '/hold') {
        held.requests += 1;
        res.on('close', () => (held.closed += 1));
        return; // never answers
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('echo');
    };
    upstreams.legacy = await startUpstream(handler);
    upstreams.api = await startUpstream(handler);
    for (const upstream of [upstreams.legacy, upstreams.api]) {
      upstream.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
        seen.push({ url: req.url!, headers: req.headers });
        const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        if (head.length > 0) socket.write(head);
        socket.pipe(socket); // echoes whatever the client sends
      });
    }
    // legacy by a name other than the public host's, as in a cluster (http://legacy:8000)
    legacyOrigin = upstreams.legacy.url.replace('127.0.0.1', 'localhost');
    running = await proxyWithRoutes({ legacy: { ...upstreams.legacy, url: legacyOrigin }, api: upstreams.api }, ROUTES);
    port = Number(new URL(running.proxy.url).port);
  });
  afterAll(async () => {
    await running?.close();
    await upstreams.legacy?.close();
    await upstreams.api?.close();
  });

  it("moves a Location on a backend's own origin to the public origin, and leaves other origins and paths alone", async () => {
    const internal = await get(`${running.proxy.url}/redirect-internal`, { host: 'shop.example.com' });
    expect(internal.res.headers.location).toBe('http://shop.example.com/account.php?x=1#top');
    expect(internal.res.headers['set-cookie']).toEqual(['PHPSESSID=abc; Domain=shop.example.com; Path=/']);
    const forwardedHttps = await get(`${running.proxy.url}/redirect-internal`, { host: `127.0.0.1:${port}` });
    expect(forwardedHttps.res.headers.location).toBe(`http://127.0.0.1:${port}/account.php?x=1#top`);
    const elsewhere = await get(`${running.proxy.url}/redirect-elsewhere`, { host: 'shop.example.com' });
    expect(elsewhere.res.headers.location).toBe('https://payments.example.com/pay?x=1');
  });

  it("scopes cookies of a backend's host to the public host, each Set-Cookie kept separate", async () => {
    const { res } = await get(`${running.proxy.url}/cookies`, { host: 'shop.example.com:8443' });
    expect(res.headers['set-cookie']).toEqual([
      'sid=1; Domain=shop.example.com; Path=/; HttpOnly',
      'theme=dark; domain=shop.example.com; Path=/',
      'tracker=9; Domain=.example.org; Path=/',
    ]);
  });

  it('strips hop-by-hop headers on the way in (Connection and what it names, Keep-Alive, TE but trailers, Upgrade, Proxy-*)', async () => {
    seen.length = 0;
    await get(`${running.proxy.url}/echo-in`, {
      connection: 'keep-alive, X-Hop',
      'x-hop': 'secret',
      'keep-alive': 'timeout=5',
      te: 'gzip',
      'proxy-authorization': 'Basic c2VjcmV0',
      'proxy-connection': 'keep-alive',
      'x-legacy-bridge-key': 'guessing',
      'x-kept': 'yes',
    });
    const headers = seen.at(-1)!.headers;
    expect(headers['x-kept']).toBe('yes');
    for (const name of ['x-hop', 'te', 'proxy-authorization', 'proxy-connection', 'upgrade', 'x-legacy-bridge-key']) expect([name, headers[name]]).toEqual([name, undefined]);
    expect(headers['keep-alive']).not.toBe('timeout=5');
    await get(`${running.proxy.url}/echo-in`, { te: 'trailers' });
    expect([undefined, 'trailers']).toContain(seen.at(-1)!.headers.te);
  });

  it('strips hop-by-hop headers on the way out', async () => {
    const { res } = await get(`${running.proxy.url}/hop-by-hop`, {});
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.headers['x-internal']).toBeUndefined();
    expect(res.headers['proxy-authenticate']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=99');
  });

  it('tunnels a websocket upgrade to the backend the route names, bytes both ways', async () => {
    seen.length = 0;
    const handshake = (path: string) =>
      `GET ${path} HTTP/1.1\r\nHost: shop.example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Legacy-Bridge-Key: guessing\r\nProxy-Authorization: Basic eA==\r\n\r\n`;
    for (const [path, upstreamPath] of [
      ['/ws/orders?since=5', '/api/v1/ws/orders?since=5'],
      ['/legacy-chat.php', '/legacy-chat.php'],
    ]) {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(handshake(path)));
        let got = '';
        socket.on('data', (chunk) => {
          got += chunk.toString('latin1');
          if (got.includes('\r\n\r\n') && !got.includes('ping-pong')) socket.write('ping-pong');
          if (got.endsWith('ping-pong')) socket.destroy(), resolve(got);
        });
        socket.on('error', reject);
      });
      expect(text.startsWith('HTTP/1.1 101 Switching Protocols')).toBe(true);
      expect(text).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
      const upstream = seen.at(-1)!;
      expect(upstream.url).toBe(upstreamPath === '/api/v1/ws/orders?since=5' ? upstreamPath : path);
      expect(upstream.headers).toMatchObject({ upgrade: 'websocket', 'x-forwarded-host': 'shop.example.com', 'x-request-id': expect.any(String) });
      expect(upstream.headers['x-legacy-bridge-key']).toBeUndefined();
      expect(upstream.headers['proxy-authorization']).toBeUndefined();
    }
    expect(seen.filter((s) => s.url.startsWith('/api/v1/ws/')).length).toBe(1);
  });

  it('rejects a chunked request that also has a Content-Length (400 problem+json, connection closed), never forwarding it or what follows', async () => {
    seen.length = 0;
    const smuggle =
      'POST /smuggle-front HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n';
    const answer = await rawExchange(port, smuggle);
    expect(answer.startsWith('HTTP/1.1 400 Bad Request')).toBe(true);
    expect(answer).toMatch(/Content-Type: application\/problem\+json/i);
    const id = /x-request-id: ([\w-]+)/i.exec(answer)?.[1];
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'PROXY.MALFORMED_REQUEST', requestId: id });
    expect(answer.match(/^HTTP\/1.1 \d{3}/gm)).toHaveLength(1);
    expect(seen.map((s) => s.url)).toEqual([]);
  });

  it('answers malformed requests 400 problem+json and keeps serving others', async () => {
    for (const garbage of ['GARBAGE\r\n\r\n', 'GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n', 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n']) {
      const answer = await rawExchange(port, garbage);
      expect([JSON.stringify(garbage), answer.split('\r\n')[0]]).toEqual([JSON.stringify(garbage), 'HTTP/1.1 400 Bad Request']);
      expect(answer).toContain('"requestId"');
    }
    expect((await fetch(`${running.proxy.url}/still-fine`)).status).toBe(200);
  });

  it('streams a large answer to a slow reader whole, holding the backend back meanwhile, repeated headers kept', async () => {
    const { res, digest } = await new Promise<{ res: IncomingMessage; digest: string }>((resolve, reject) => {
      const req = httpRequest(`${running.proxy.url}/large`, (res) => {
        const hash = createHash('sha256');
        // Reads in bursts with pauses, so the proxy's writes back up and it must wait for the client.
        res.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          res.pause();
          setTimeout(() => res.resume(), 1);
        });
        res.on('end', () => resolve({ res, digest: hash.digest('hex') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    expect(digest).toBe(LARGE_SHA256);
    expect(res.headers['x-body-sha256']).toBe(LARGE_SHA256);
    expect(res.headers['x-odd']).toBe('1, 2');
    expect(res.headers.constructor).toBe('a header');
  }, 60_000);

  it('cancels the upstream call when the client goes away', async () => {
    const req = httpRequest(`${running.proxy.url}/hold`);
    req.on('error', () => undefined);
    req.end();
    await eventually(() => held.requests === 1);
    req.destroy();
    await eventually(() => held.closed === 1);
  });
});

describe('legacy proxy: tester override switched off', () => {
  it('ignores X-Ficus-Backend and the ficus_backend cookie with PROXY_OVERRIDE=off', async () => {
    const legacy = await startUpstream((_req, res) => res.writeHead(200).end('legacy'));
    const api = await startUpstream((_req, res) => res.writeHead(200).end('api'));
    const running = await proxyWithRoutes({ legacy, api }, 'routes: []\n', undefined, { PROXY_OVERRIDE: 'off' });
    try {
      const header = await fetch(`${running.proxy.url}/x`, { headers: { 'x-ficus-backend': 'api' } });
      expect([header.headers.get('x-ficus-backend'), await header.text()]).toEqual(['legacy', 'legacy']);
      const cookie = await fetch(`${running.proxy.url}/x`, { headers: { cookie: 'ficus_backend=api' } });
      expect(await cookie.text()).toBe('legacy');
    } finally {
      await running.close();
      await legacy.close();
      await api.close();
    }
  });
});
