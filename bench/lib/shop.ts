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
export async function freshDatabase(root: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await runCommand(root, 'npm', ['run', '--silent', 'db:migrate'], { DATABASE_URL: databaseUrl }, { quiet: true });
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
