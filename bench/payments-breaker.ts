// `npm run bench:breaker [-- --duration 15] [--rate 200] [--checkout-rate 200] [--series live,payment,checkout] [--timeline] [--no-build]`
//
// Issue 6's number: with the payment breaker open, POST /api/v1/payments is refused (503
// PAYMENTS.UNAVAILABLE, Retry-After) with p99 under 50 ms at a steady 200 requests/s. The gateway
// simulator runs as its own process with a 100 % error rate until the breaker opens (the
// payment_gateway_breaker_state gauge reads 1); it then stays open for the whole run
// (PAYMENTS_BREAKER_HALF_OPEN_MS is long). Arrivals are open-loop: request i is sent at start +
// i / rate whether or not earlier ones have answered, and its latency counts from that scheduled
// time, so a stall shows up in the tail instead of slowing the client down (no coordinated
// omission). Compared in the same run with GET /health/live at the same rate, alternating rounds;
// before each series the bench waits until the API has finished the work the one before left it.
// The third series is the whole POST /checkout at the same rate, each on a guest cart prepared
// before the window: it reserves stock and saves the order (pending_payment) before payments
// refuses, so its 503 carries that work too; the orders and reservations it left are counted.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { metric, percentile, runCommand, startBenchApi, startSimulatorProcess } from './lib/api-server.js';
import { benchSigningKeyFile, cpuMs } from './lib/proc-cpu.js';
import { BENCH_ADDRESS, expectStatus, freshDatabase, seedStock, send } from './lib/shop.js';
import { adminToken } from './lib/tokens.js';

const ROOT = process.cwd();
const DATABASE_URL = process.env.BENCH_BREAKER_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/ficus_bench_breaker';
const TARGET_P99_MS = 50;
const ROUNDS = 2;
const WARMUP_S = 2;
const QUIET_WINDOW_MS = 500;
const QUIET_MAX_MS = 30_000;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    rate: { type: 'string', default: '200' },
    'checkout-rate': { type: 'string' },
    series: { type: 'string', default: 'live,payment,checkout' },
    /** Per second of each round: p50, p99 and max of the requests due in it (where in a round the tail is). */
    timeline: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
  strict: true,
});
const DURATION_S = Number(args.duration);
const RATE = Number(args.rate);
/** The checkout series' own rate (default: --rate); the checkout does far more than refuse, see the header. */
const CHECKOUT_RATE = Number(args['checkout-rate'] ?? args.rate);
const ALL_SERIES = ['live', 'payment', 'checkout'] as const;
type Series = (typeof ALL_SERIES)[number];
/** The series to run (all by default); one alone, e.g. to profile the API under it with BENCH_API_NODE_ARGS. */
const SERIES = args.series.split(',').map((name) => {
  if (!(ALL_SERIES as readonly string[]).includes(name)) throw new Error(`--series: unknown series ${name} (known: ${ALL_SERIES.join(', ')})`);
  return name as Series;
});


const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Request {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The next request of a series (a fresh key, a fresh cart). */
type Shot = () => Request;

const LABELS: Record<Series, string> = {
  live: 'GET /health/live (baseline)',
  payment: 'POST /api/v1/payments, breaker open',
  checkout: 'POST /api/v1/checkout, breaker open',
};

function fire(base: string, shot: Shot): Promise<number> {
  const { method, path, headers, body } = shot();
  return new Promise((resolve) => {
    const request = http.request(`${base}${path}`, { method, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(599));
    request.end(body);
  });
}

/** Open loop: request i leaves at start + i / rate; its latency is measured from then (or from leaving, if that was earlier). */
async function openLoop(base: string, shot: Shot, seconds: number, rate: number) {
  const total = Math.round(seconds * rate);
  const latencies: number[] = [];
  /** Latencies by the second of the round the request was due in. */
  const bySecond: number[][] = Array.from({ length: Math.ceil(seconds) }, () => []);
  const statuses = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const start = performance.now() + 20;
  const startedAt = new Date(Date.now() + 20);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    // Late (timer jitter, a busy loop): from the due time. A little early: from when it left.
    const origin = Math.min(due, performance.now());
    pending.push(
      fire(base, shot).then((status) => {
        const latency = performance.now() - origin;
        latencies.push(latency);
        bySecond[Math.floor(i / rate)]?.push(latency);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  const achieved = total / ((performance.now() - start) / 1000);
  return { latencies, statuses, achieved, bySecond, startedAt };
}

function printTimeline(bySecond: number[][], startedAt: Date): void {
  process.stdout.write(`    (s0 began at ${startedAt.toISOString()})\n`);
  for (const [second, latencies] of bySecond.entries()) {
    const sorted = [...latencies].sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    process.stdout.write(`    s${second}: p50 ${percentile(sorted, 50).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${percentile(sorted, 100).toFixed(1)} ms\n`);
  }
}


/** Guest carts with one line and a shipping address, made before the measured window. */
async function guestCarts(api: string, skus: string[], count: number): Promise<{ id: string; token: string }[]> {
  const carts: { id: string; token: string }[] = [];
  let made = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (made < count) {
        const i = made++;
        const cart = await expectStatus(send('POST', `${api}/api/v1/carts`, {}), 201, 'open a cart');
        const headers = { 'x-cart-token': cart.token as string };
        await expectStatus(send('POST', `${api}/api/v1/carts/${cart.id}/items`, { sku: skus[i % skus.length], quantity: 1 }, headers), 201, 'add a line');
        carts.push({ id: cart.id, token: cart.token });
      }
    }),
  );
  return carts;
}

async function main(): Promise<void> {
  if (!args['no-build']) await runCommand(ROOT, 'npm', ['run', '--silent', 'build'], {});
  await freshDatabase(ROOT, DATABASE_URL);
  const simulator = await startSimulatorProcess(ROOT);
  const keyFile = benchSigningKeyFile(ROOT);
  const api = await startBenchApi(ROOT, keyFile, {
    DATABASE_URL,
    PAYMENTS_PROVIDER: 'simulator',
    GATEWAY_SIMULATOR_URL: simulator.url,
    PAYMENTS_GATEWAY_TIMEOUT_MS: '1000',
    PAYMENTS_BREAKER_MIN_RPS: '0.5',
    PAYMENTS_BREAKER_HALF_OPEN_MS: '3600000',
  });
  try {
    const token = await adminToken(api.url, keyFile);
    const skus = await seedStock(api.url, token, 'BENCH-BRK', 10);
    const payment: Shot = () => ({
      method: 'POST',
      path: '/api/v1/payments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ orderId: randomUUID(), amount: 4999, currency: 'EUR', token: 'tok_ok' }),
    });
    const live: Shot = () => ({ method: 'GET', path: '/health/live' });
    const needed = !SERIES.includes('checkout') ? 0 : Math.ceil(CHECKOUT_RATE * (WARMUP_S + DURATION_S * ROUNDS)) + 10;
    process.stdout.write(`preparing ${needed} guest carts for the checkout series…\n`);
    const carts = await guestCarts(api.url, skus, needed);
    // The preparation's thousands of cart writes leave autovacuum, autoanalyze and a checkpoint due:
    // run them now, as a database in steady use would have, instead of inside the first measured round.
    if (needed > 0) await vacuumAnalyze();
    const checkout: Shot = () => {
      const cart = carts.pop();
      if (!cart) throw new Error('ran out of prepared carts');
      const body = JSON.stringify({ cartId: cart.id, email: 'shopper@example.com', shippingAddress: BENCH_ADDRESS, payment: { method: 'card', token: 'tok_ok' } });
      return { method: 'POST', path: '/api/v1/checkout', headers: { 'x-cart-token': cart.token, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body };
    };

    await fetch(`${simulator.url}/_control/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1 }) });
    let tries = 0;
    while ((await metric(api.url, 'payment_gateway_breaker_state', 'provider="simulator"')) !== 1) {
      if (++tries > 50) throw new Error('the breaker did not open after 50 failing payments');
      await fire(api.url, payment);
    }
    process.stdout.write(`breaker open after ${tries} failing payments\n`);

    const shots: Record<Series, Shot> = { live, payment, checkout };
    const rates: Record<Series, number> = { live: RATE, payment: RATE, checkout: CHECKOUT_RATE };
    for (const name of SERIES) await openLoop(api.url, shots[name], WARMUP_S, rates[name]);
    const series: Record<Series, number[]> = { live: [], payment: [], checkout: [] };
    const statuses: Record<Series, Map<number, number>> = { live: new Map(), payment: new Map(), checkout: new Map() };
    const achieved: Record<Series, number[]> = { live: [], payment: [], checkout: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of SERIES) {
        const waited = await quiesce(api.pid);
        if (waited > 2 * QUIET_WINDOW_MS) process.stdout.write(`  (the API was busy with the previous series' work for ${waited} ms before this one)\n`);
        const cpuBefore = cpuMs(api.pid);
        const result = await openLoop(api.url, shots[name], DURATION_S, rates[name]);
        const cpuPerRequest = (cpuMs(api.pid) - cpuBefore) / result.latencies.length;
        series[name].push(...result.latencies);
        achieved[name].push(result.achieved);
        for (const [status, n] of result.statuses) statuses[name].set(status, (statuses[name].get(status) ?? 0) + n);
        const sorted = [...result.latencies].sort((a, b) => a - b);
        process.stdout.write(`round ${round} ${name}: p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, API CPU ${cpuPerRequest.toFixed(2)} ms per request\n`);
        if (args.timeline) printTimeline(result.bySecond, result.startedAt);
      }
    }
    const stillOpen = (await metric(api.url, 'payment_gateway_breaker_state', 'provider="simulator"')) === 1;
    const ledger = (await (await fetch(`${simulator.url}/ledger`)).json()) as { payment_intents: unknown[] };
    const held = await heldOrders();
    const row = (label: string, name: Series) => {
      const sorted = [...series[name]].sort((a, b) => a - b);
      const answers = [...statuses[name]].map(([status, n]) => `${n} × ${status}`).join(', ');
      const rate = achieved[name].reduce((a, b) => a + b, 0) / achieved[name].length;
      return `| ${label} | ${rate.toFixed(0)} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${percentile(sorted, 100).toFixed(1)} | ${answers} |`;
    };
    const p99 = (name: Series) => percentile([...series[name]].sort((a, b) => a - b), 99);
    const refusedOnly = (name: Series) => [...statuses[name].keys()].every((status) => status === 503);
    const verdict = (name: Series) => (p99(name) < TARGET_P99_MS && stillOpen && refusedOnly(name) ? 'MET' : 'NOT MET');
    process.stdout.write(
      [
        '',
        `# bench:breaker, ${new Date().toISOString()}`,
        `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Linux ${os.release()}. Open loop at ${RATE} req/s (checkout: ${CHECKOUT_RATE} req/s), ${ROUNDS} alternating rounds of ${DURATION_S} s per series.`,
        '',
        '| series | achieved req/s | p50 ms | p99 ms | max ms | answers |',
        '|---|---:|---:|---:|---:|---|',
        ...SERIES.map((name) => row(LABELS[name], name)),
        '',
        `breaker still open at the end: ${stillOpen}; payment intents in the simulator's ledger: ${ledger.payment_intents.length} (it failed every call until the breaker opened, so nothing was charged)`,
        `orders the refused checkouts left: ${JSON.stringify(held.orders)}, their reservations: ${JSON.stringify(held.reservations)} (each stays pending_payment with its stock until its TTL)`,
        `breaker-open rejection p99, ${SERIES.filter((name) => name !== 'live').map((name) => `${name}: ${p99(name).toFixed(2)} ms → ${verdict(name)}`).join('; ')} (target: under ${TARGET_P99_MS} ms, every answer 503)`,
        '',
      ].join('\n'),
    );
  } finally {
    await api.stop();
    simulator.stop();
  }
}

/**
 * Waits until the API has finished what the series before left it (outbox events still to relay,
 * their jobs): none unpublished and its CPU under 5 % of a core over QUIET_WINDOW_MS, for at most
 * QUIET_MAX_MS. Each series is then measured on its own, not with what the refused checkouts left
 * to do in its tail (in the runs so far the API was quiet within one window). Returns the time waited.
 */
async function quiesce(pid: number): Promise<number> {
  const started = Date.now();
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    while (Date.now() - started < QUIET_MAX_MS) {
      const before = cpuMs(pid);
      await sleep(QUIET_WINDOW_MS);
      const busy = (cpuMs(pid) - before) / QUIET_WINDOW_MS;
      const pending = Number((await db.query('SELECT count(*) AS n FROM platform.outbox_events WHERE published_at IS NULL')).rows[0].n);
      if (pending === 0 && busy < 0.05) break;
    }
  } finally {
    await db.end();
  }
  return Date.now() - started;
}

async function vacuumAnalyze(): Promise<void> {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await db.query('VACUUM (ANALYZE)');
    // And write their dirty pages out now, not in a checkpoint that competes with a measured round for the disk.
    await db.query('CHECKPOINT');
  } finally {
    await db.end();
  }
}

/** What the refused checkouts left behind: orders by status, reservations by status. */
async function heldOrders() {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const grouped = async (sql: string) => Object.fromEntries((await db.query(sql)).rows.map((r) => [r.k, Number(r.n)]));
    return {
      orders: await grouped('SELECT status AS k, count(*) AS n FROM orders.orders GROUP BY status'),
      reservations: await grouped('SELECT status AS k, count(*) AS n FROM inventory.reservations GROUP BY status'),
    };
  } finally {
    await db.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:breaker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
