import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '#platform';
import { listen, type LogCapture, testEnv } from '#testing';
import { createProxyApp } from '../src/proxy-app.js';

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A plain node:http server on a free loopback port, counting the TCP connections it accepts. */
export interface Upstream {
  url: string;
  port: number;
  server: Server;
  /** TCP connections accepted since start (each is one upstream socket of the proxy's pool). */
  connections: number;
  close(): Promise<void>;
}

/**
 * Starts an upstream whose handler runs once the whole request body has arrived, unless
 * `raw` is set: then it gets the request untouched, to watch a body arrive chunk by chunk.
 */
export async function startUpstream(handler: UpstreamHandler, raw?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<Upstream> {
  const server = createServer((req, res) => {
    if (raw?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  const upstream: Upstream = {
    url: '',
    port: 0,
    server,
    connections: 0,
    close: async () => {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  server.on('connection', () => {
    upstream.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.port = (server.address() as AddressInfo).port;
  upstream.url = `http://127.0.0.1:${upstream.port}`;
  return upstream;
}

/** A loopback URL on which nothing listens (a port that was free a moment ago). */
export async function deadUrl(): Promise<string> {
  const upstream = await startUpstream(() => undefined);
  await upstream.close();
  return upstream.url;
}

export interface RunningProxy {
  app: NestFastifyApplication;
  url: string;
  env: Env;
  close(): Promise<void>;
}

/** Boots the real proxy (Nest on Fastify, real HTTP) in front of the given upstreams. No database, no Redis. */
export async function startProxy(options: {
  legacyUrl: string;
  apiUrl: string;
  env?: Record<string, string | undefined>;
  logs?: LogCapture;
}): Promise<RunningProxy> {
  const env = testEnv({
    // The proxy never connects to PostgreSQL; testEnv validates as for the API, which requires a URL.
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    // Its own routes skip throttling, so Redis plays no part: keep the tests independent of it.
    REDIS_URL: '',
    LEGACY_URL: options.legacyUrl,
    API_URL: options.apiUrl,
    ...options.env,
  });
  const app = await createProxyApp({ env, logStream: options.logs });
  const running = await listen(app);
  return { app, url: running.url, env, close: running.close };
}

/** A route file of its own and a proxy reading it, for each test that changes the file. */
export async function proxyWithRoutes(
  upstreams: { legacy: Upstream; api: Upstream },
  yaml: string,
  logs?: LogCapture,
  env: Record<string, string> = {},
): Promise<{ proxy: RunningProxy; file: string; dir: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-routes-'));
  const file = join(dir, 'routes.yaml');
  await writeFile(file, yaml);
  const proxy = await startProxy({
    legacyUrl: upstreams.legacy.url,
    apiUrl: upstreams.api.url,
    env: { PROXY_ROUTES_FILE: file, PROXY_EXPOSE_ROUTES: 'true', ...(logs && { LOG_LEVEL: 'info' }), ...env },
    logs,
  });
  return {
    proxy,
    file,
    dir,
    close: async () => {
      await proxy.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `http_requests_total` samples of a Prometheus scrape, keyed `METHOD ROUTE STATUS`. */
export const requestCounts = (scrape: string): Map<string, number> => metricSamples(scrape, 'http_requests_total', ['method', 'route', 'status']);

/** Samples of one metric in a Prometheus scrape, keyed by their labels in the order given, joined by spaces. */
export function metricSamples(scrape: string, metric: string, labelOrder: string[]): Map<string, number> {
  const samples = new Map<string, number>();
  const sample = new RegExp(`^${metric}\\{(.*)\\} (\\d+(?:\\.\\d+)?)$`);
  for (const line of scrape.split('\n')) {
    const match = sample.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.set(labelOrder.map((name) => labels[name]).join(' '), Number(match[2]));
  }
  return samples;
}

/** What a relay in front of the real API does to the requests it passes on; tests change it as they go. */
export interface RelayControl {
  /** While set, requests (but the JWKS) wait here before they reach the API. */
  hold: Promise<void> | null;
  /** Answer this status (an API in trouble) instead of passing the request on (the JWKS excepted). */
  failWith: number | null;
  /** An answer of its own for some requests (an endpoint the API does not have yet); undefined passes on. */
  answer: (req: IncomingMessage) => { status: number; body: unknown } | undefined;
  /** Request targets seen, in order, and how many are waiting on `hold` now. */
  seen: string[];
  waiting: number;
}

/**
 * A relay in front of the real API, so a test can slow it down or make it fail without touching
 * the API: everything else (JWKS included) reaches the real API unchanged.
 */
export async function startRelay(targetUrl: string): Promise<Upstream & { control: RelayControl }> {
  const control: RelayControl = { hold: null, failWith: null, answer: () => undefined, seen: [], waiting: 0 };
  const upstream = await startUpstream(async (req, res, body) => {
    control.seen.push(`${req.method} ${req.url}`);
    // The proxy fetches the API's JWKS through the relay too: admin calls must not wait or fail with the API.
    const keys = req.url?.startsWith('/.well-known/') === true;
    if (control.hold && !keys) {
      control.waiting += 1;
      await control.hold;
      control.waiting -= 1;
    }
    if (control.failWith !== null && !keys) return void res.writeHead(control.failWith, { 'content-type': 'text/plain' }).end('injected failure');
    const own = control.answer(req);
    if (own) return void res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))) as Record<string, string>;
      const response = await fetch(`${targetUrl}${req.url}`, { method: req.method, headers, ...(body.length > 0 && { body }), redirect: 'manual' });
      const answer = Buffer.from(await response.arrayBuffer());
      const passed = Object.fromEntries([...response.headers].filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)));
      res.writeHead(response.status, passed).end(answer);
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  });
  return Object.assign(upstream, { control });
}

/** A gate a test opens when it is ready. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
