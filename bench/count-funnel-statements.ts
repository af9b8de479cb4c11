// `node --conditions=source --import @swc-node/register/esm-register bench/count-funnel-statements.ts [--funnels 21] [--detail]`
//
// Round trips per checkout funnel (the same funnel as bench/checkout.ts, one shopper at a time):
// the built API on a fresh database with `log_statement = 'all'`, then the statements PostgreSQL
// logged for that database (BEGIN and COMMIT included: each is a round trip) and the Redis commands
// `MONITOR` saw under this run's key prefix, divided by the number of funnels. An idle window of
// the same length before the funnels is subtracted (the outbox relay's polling). Needs read access
// to the server's log (PG_LOG, default /var/log/postgresql/postgresql-15-main.log) and a build.
// `--detail` also lists, per funnel, each statement (its first 90 characters) and each Redis command.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startBenchApi, startSimulatorProcess } from './lib/api-server.js';
import { BENCH_ADDRESS, expectStatus, freshDatabase, seedStock, send } from './lib/shop.js';
import { benchSigningKeyFile } from './lib/proc-cpu.js';
import { adminToken } from './lib/tokens.js';

const ROOT = process.cwd();
const DATABASE = process.env.BENCH_COUNT_DB || 'ficus_bench_count';
const SERVER_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = SERVER_URL.replace(/\/[^/]*$/, `/${DATABASE}`);
const PG_LOG = process.env.PG_LOG || '/var/log/postgresql/postgresql-15-main.log';
const SKUS = 20;

const { values: args } = parseArgs({ options: { funnels: { type: 'string', default: '21' }, detail: { type: 'boolean', default: false } }, strict: true });
const FUNNELS = Number(args.funnels);

async function funnel(api: string, i: number): Promise<void> {
  const opened = await expectStatus(send('POST', `${api}/api/v1/carts`, {}), 201, 'open a cart');
  const headers = { 'x-cart-token': opened.token as string };
  const lines = 1 + (i % 3);
  for (let l = 0; l < lines; l++) {
    await expectStatus(send('POST', `${api}/api/v1/carts/${opened.id}/items`, { sku: `BENCH-CNT-${(i + l) % SKUS}`, quantity: 1 }, headers), 201, 'add an item');
  }
  const checkout = await expectStatus(
    send('POST', `${api}/api/v1/checkout`, { cartId: opened.id, email: 'shopper@example.com', shippingAddress: BENCH_ADDRESS, payment: { method: 'card', token: 'tok_ok' } }, { ...headers, 'idempotency-key': randomUUID() }),
    201,
    'check out',
  );
  if (checkout.order?.status !== 'paid') throw new Error(`order ${checkout.order?.status}`);
}

/** Statements logged for DATABASE from byte `from` of the server log on. */
function statementsSince(from: number): { statements: number; transactions: number; kinds: Map<string, number> } {
  const text = readFileSync(PG_LOG, 'utf8').slice(from);
  let statements = 0;
  let transactions = 0;
  const kinds = new Map<string, number>();
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.includes(`@${DATABASE} `)) continue;
    const m = /LOG:\s+(?:statement|execute [^:]*):\s*(.*)$/.exec(line);
    if (!m) continue;
    statements++;
    // A statement that starts with a line break goes on in the log's next (tab-indented) lines.
    const kind = (m[1]!.trim() || lines.slice(i + 1, i + 3).join(' ')).replace(/\s+/g, ' ').trim().slice(0, 90);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    if (/^(BEGIN|START TRANSACTION)/i.test(m[1]!)) transactions++;
  }
  return { statements, transactions, kinds };
}

function monitor(prefix: string): { count: () => number; kinds: Map<string, number>; stop: () => void } {
  let count = 0;
  const kinds = new Map<string, number>();
  let rest = '';
  const child = spawn('redis-cli', ['monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    // Commands a Lua script runs show as `[0 lua]`: only the client's own (round trips) count.
    for (const line of lines) {
      if (!line.includes(prefix) || line.includes(' lua] ')) continue;
      count++;
      const kind = /\] "([^"]+)"/.exec(line)?.[1]?.toUpperCase() ?? '?';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  });
  return { count: () => count, kinds, stop: () => child.kill() };
}

async function main(): Promise<void> {
  await freshDatabase(ROOT, DATABASE_URL);
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${DATABASE} SET log_statement = 'all'`);
  await admin.end();
  const prefix = `ficus-count:${randomUUID().slice(0, 8)}:`;
  const simulator = await startSimulatorProcess(ROOT);
  const keyFile = benchSigningKeyFile(ROOT);
  const api = await startBenchApi(ROOT, keyFile, { DATABASE_URL, GATEWAY_SIMULATOR_URL: simulator.url, REDIS_KEY_PREFIX: prefix });
  const redis = monitor(prefix);
  try {
    await seedStock(api.url, await adminToken(api.url, keyFile), 'BENCH-CNT', SKUS);
    await funnel(api.url, 0); // warm: first-time lookups
    await sleep(2000);
    const idleFrom = statSync(PG_LOG).size;
    const idleRedis = redis.count();
    redis.kinds.clear();
    const started = performance.now();
    for (let i = 1; i <= FUNNELS; i++) await funnel(api.url, i);
    const busyMs = performance.now() - started;
    await sleep(2000); // the outbox relay and the listeners finish
    const busy = statementsSince(idleFrom);
    const busyRedis = redis.count() - idleRedis;
    const busyRedisKinds = new Map(redis.kinds);
    // An idle window as long as the busy one, for the relay's polling.
    const idleStart = statSync(PG_LOG).size;
    const idleRedisStart = redis.count();
    await sleep(busyMs + 2000);
    const idle = statementsSince(idleStart);
    const idleRedisCount = redis.count() - idleRedisStart;
    const per = (n: number, idleN: number) => ((n - idleN) / FUNNELS).toFixed(1);
    process.stdout.write(
      `${FUNNELS} funnels (1, 2, 3 items in turn): per funnel ${per(busy.statements, idle.statements)} SQL statements (BEGIN/COMMIT included), ` +
        `${per(busy.transactions, idle.transactions)} transactions, ${per(busyRedis, idleRedisCount)} Redis commands ` +
        `(idle window: ${idle.statements} statements, ${idleRedisCount} Redis commands)\n`,
    );
    if (args.detail) {
      // Per funnel, busy window only (the idle window's polling is in it too, and listed at the end).
      const list = (kinds: Map<string, number>) => [...kinds].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `  ${(n / FUNNELS).toFixed(2).padStart(6)}  ${kind}`).join('\n');
      process.stdout.write(`\nSQL per funnel (busy window):\n${list(busy.kinds)}\n\nRedis per funnel (busy window):\n${list(busyRedisKinds)}\n\nSQL in the idle window (total):\n${[...idle.kinds].map(([k, n]) => `  ${n}  ${k}`).join('\n')}\n`);
    }
  } finally {
    redis.stop();
    await api.stop();
    simulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`count-funnel-statements failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
