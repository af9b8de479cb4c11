// The shop-side helpers the benchmarks that check out share: a JSON client on a keep-alive agent,
// a fresh migrated database, and a product with plenty of stock.
import http from 'node:http';
import pg from 'pg';
import { runCommand } from './api-server.js';

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** One HTTP request on a keep-alive agent (lighter on the shared CPU than fetch). */
export function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text for the error message
        }
        resolve({ status: response.statusCode ?? 0, body: parsed, ms: performance.now() - started });
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

export async function expectStatus(answer: Promise<Answer>, status: number, what: string): Promise<any> {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: ${got.status} ${JSON.stringify(got.body)}`);
  return got.body;
}

export const BENCH_ADDRESS = { firstName: 'Bench', lastName: 'Shopper', line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' };

/** Drops and recreates `databaseUrl`'s database on its server, then runs the migrations. */
/** Drops and recreates the database of `databaseUrl`, then migrates it. */
export async function freshDatabase(root: string, databaseUrl: string): Promise<void> {
  await withServer(databaseUrl, async (server, name) => {
    await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.query(`CREATE DATABASE "${name}"`);
  });
  await runCommand(root, 'npm', ['run', '--silent', 'db:migrate'], { DATABASE_URL: databaseUrl }, { quiet: true });
}

/** Creates the database of `databaseUrl` when it is missing (a fresh machine), keeps it otherwise, and migrates it. */
export async function ensureDatabase(root: string, databaseUrl: string): Promise<void> {
  await withServer(databaseUrl, async (server, name) => {
    if ((await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 0) await server.query(`CREATE DATABASE "${name}"`);
  });
  await runCommand(root, 'npm', ['run', '--silent', 'db:migrate'], { DATABASE_URL: databaseUrl }, { quiet: true });
}

async function withServer(databaseUrl: string, work: (server: pg.Client, name: string) => Promise<void>): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)).replace(/"/g, '""');
  if (!name) throw new Error('the database URL names no database');
  url.pathname = '/postgres';
  const server = new pg.Client({ connectionString: url.toString() });
  await server.connect();
  try {
    await work(server, name);
  } finally {
    await server.end();
  }
}

/** One product with `count` variants `${prefix}-0…`, each with a million units on hand. */
export async function seedStock(api: string, adminToken: string, prefix: string, count: number): Promise<string[]> {
  const auth = { authorization: `Bearer ${adminToken}` };
  const variants = Array.from({ length: count }, (_, i) => ({ sku: `${prefix}-${i}`, price: { amount: 990 + i * 100, currency: 'EUR' } }));
  await expectStatus(send('POST', `${api}/api/v1/admin/products`, { name: 'Bench Mug', status: 'active', variants }, auth), 201, 'create the bench product');
  for (const { sku } of variants) {
    await expectStatus(send('POST', `${api}/api/v1/admin/inventory/${sku}/adjustments`, { delta: 1_000_000, reason: 'benchmark stock', kind: 'received' }, auth), 201, `stock ${sku}`);
  }
  return variants.map((v) => v.sku);
}
