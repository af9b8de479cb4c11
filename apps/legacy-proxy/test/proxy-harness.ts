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
): Promise<{ proxy: RunningProxy; file: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-routes-'));
  const file = join(dir, 'routes.yaml');
  await writeFile(file, yaml);
  const proxy = await startProxy({
    legacyUrl: upstreams.legacy.url,
    apiUrl: upstreams.api.url,
    env: { PROXY_ROUTES_FILE: file, PROXY_EXPOSE_ROUTES: 'true', ...(logs && { LOG_LEVEL: 'info' }) },
    logs,
  });
  return {
    proxy,
    file,
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
