// `npm run bench:checkout [-- --duration 20] [--shoppers 50] [--no-build]`
//
// Issue 5's number: complete checkouts per second with 50 concurrent shoppers, each running the whole
// funnel again and again: POST /carts (guest), POST /carts/:id/items (one to three SKUs), POST
// /checkout with a fresh Idempotency-Key and `tok_ok`, against the built API and the gateway
// simulator in its own process at zero latency. p50/p99 of the checkout request and of the whole
// funnel. Compared in the same run with two bare baselines at the same concurrency: the API's
// GET /health/live (the framework alone) and the simulator's own charge endpoint (the payment step
// alone). Afterwards the orders, reservations, payments and the simulator's ledger are counted:
// they must match. A fresh database `ficus_bench_checkout` (or $BENCH_CHECKOUT_DB) is made for every run.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { percentile, runCommand, startBenchApi, startSimulatorProcess } from './lib/api-server.js';
import { type Answer, BENCH_ADDRESS, expectStatus, freshDatabase, seedStock, send } from './lib/shop.js';
import { benchSigningKeyFile, cpuMs } from './lib/proc-cpu.js';
import { adminToken } from './lib/tokens.js';

const ROOT = process.cwd();
const DATABASE = process.env.BENCH_CHECKOUT_DB || 'ficus_bench_checkout';
const SERVER_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = SERVER_URL.replace(/\/[^/]*$/, `/${DATABASE}`);
const TARGET_RATE = 300;
const TARGET_P99_MS = 250;
const SKUS = 20;
const WARMUP_S = 3;

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '20' }, shoppers: { type: 'string', default: '50' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const DURATION_S = Number(args.duration);
const SHOPPERS = Number(args.shoppers);




interface Tally {
  checkouts: number[];
  funnels: number[];
  errors: Map<string, number>;
}

/** One shopper's whole funnel; returns the checkout and funnel latencies, or throws a labelled failure. */
async function funnel(api: string, random: () => number, tally: Tally): Promise<void> {
  const started = performance.now();
  const fail = (step: string, answer: Answer) => {
    const key = `${step} ${answer.status} ${answer.body?.code ?? ''}`.trim();
    tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
  };
  const opened = await send('POST', `${api}/api/v1/carts`, {});
  if (opened.status !== 201) return fail('POST /carts', opened);
  const headers = { 'x-cart-token': opened.body.token as string };
  const lines = 1 + Math.floor(random() * 3);
  const first = Math.floor(random() * SKUS);
  for (let i = 0; i < lines; i++) {
    const added = await send('POST', `${api}/api/v1/carts/${opened.body.id}/items`, { sku: `BENCH-CHK-${(first + i) % SKUS}`, quantity: 1 }, headers);
    if (added.status !== 201) return fail('POST /carts/:id/items', added);
  }
  const checkout = await send(
    'POST',
    `${api}/api/v1/checkout`,
    { cartId: opened.body.id, email: 'shopper@example.com', shippingAddress: BENCH_ADDRESS, payment: { method: 'card', token: 'tok_ok' } },
    { ...headers, 'idempotency-key': randomUUID() },
  );
  if (checkout.status !== 201 || checkout.body?.order?.status !== 'paid') return fail('POST /checkout', checkout);
  tally.checkouts.push(checkout.ms);
  tally.funnels.push(performance.now() - started);
}

async function shoppers(api: string, seconds: number): Promise<Tally & { seconds: number }> {
  const tally: Tally = { checkouts: [], funnels: [], errors: new Map() };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SHOPPERS }, async (_, shopper) => {
      let state = shopper + 1;
      const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
      while (performance.now() < deadline) {
        await funnel(api, random, tally).catch((error: Error) => tally.errors.set(`network ${error.message}`, (tally.errors.get(`network ${error.message}`) ?? 0) + 1));
      }
    }),
  );
  return { ...tally, seconds: (performance.now() - started) / 1000 };
}

/** A bare baseline: `SHOPPERS` closed loops of one request for `seconds`. */
async function baseline(seconds: number, request: () => Promise<Answer>): Promise<{ perSecond: number; p50: number; p99: number; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SHOPPERS }, async () => {
      while (performance.now() < deadline) {
        const answer = await request().catch(() => ({ status: 599, ms: 0, body: undefined }));
        if (answer.status >= 400) failures++;
        else latencies.push(answer.ms);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

/** Counts after the run; every checkout that answered 201 paid must be one order, one committed reservation, one payment and one charge. */
async function reconcile(simulatorUrl: string) {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const one = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    const grouped = async (sql: string): Promise<Record<string, number>> => Object.fromEntries((await db.query(sql)).rows.map((r) => [r.k, Number(r.n)]));
    const ledger = (await send('GET', `${simulatorUrl}/ledger`)).body;
    const charges = (ledger.payment_intents as { status: string }[]).filter((p) => ['authorized', 'captured', 'partially_refunded', 'refunded'].includes(p.status)).length;
    return {
      orders: await grouped(`SELECT status AS k, count(*) AS n FROM orders.orders GROUP BY status`),
      reservations: await grouped(`SELECT status AS k, count(*) AS n FROM inventory.reservations GROUP BY status`),
      payments: await grouped(`SELECT state AS k, count(*) AS n FROM payments.payments GROUP BY state`),
      charges,
      sold: await one(`SELECT coalesce(sum(-on_hand_delta), 0) AS n FROM inventory.movements WHERE kind = 'sold'`),
      soldOrderUnits: await one(`SELECT coalesce(sum(l.quantity), 0) AS n FROM orders.order_lines l JOIN orders.orders o ON o.id = l.order_id WHERE o.status = 'paid'`),
      stockBalance: await one(`SELECT count(*) AS n FROM inventory.stock_levels WHERE reserved <> 0`),
    };
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  if (!args['no-build']) await runCommand(ROOT, 'npm', ['run', '--silent', 'build'], {}, { quiet: true });
  process.stdout.write(`fresh database ${DATABASE}, migrations…\n`);
  await freshDatabase(ROOT, DATABASE_URL);
  const simulator = await startSimulatorProcess(ROOT);
  const keyFile = benchSigningKeyFile(ROOT);
  const api = await startBenchApi(ROOT, keyFile, {
    DATABASE_URL,
    GATEWAY_SIMULATOR_URL: simulator.url,
  });
  try {
    await seedStock(api.url, await adminToken(api.url, keyFile), 'BENCH-CHK', SKUS);
    process.stdout.write(`baselines, ${SHOPPERS} clients, 5 s each…\n`);
    const health = await baseline(5, () => send('GET', `${api.url}/health/live`));
    const charge = await baseline(5, () =>
      send('POST', `${simulator.url}/v1/payment_intents`, { amount: 1990, currency: 'eur', token: 'tok_ok', capture_method: 'automatic' }, { 'idempotency-key': randomUUID() }),
    );
    // The baseline's charges are not orders: start the ledger afresh, so it can be matched with them.
    await expectStatus(send('POST', `${simulator.url}/_control/reset`), 200, 'reset the simulator');
    process.stdout.write(`warm-up ${WARMUP_S} s, then ${DURATION_S} s of ${SHOPPERS} shoppers…\n`);
    await shoppers(api.url, WARMUP_S);
    const apiCpuBefore = cpuMs(api.pid);
    const simulatorCpuBefore = cpuMs(simulator.pid);
    const measured = await shoppers(api.url, DURATION_S);
    const apiCpu = cpuMs(api.pid) - apiCpuBefore;
    const simulatorCpu = cpuMs(simulator.pid) - simulatorCpuBefore;
    await sleep(2000); // let the outbox relay and listeners finish
    const counts = await reconcile(simulator.url);

    measured.checkouts.sort((a, b) => a - b);
    measured.funnels.sort((a, b) => a - b);
    const rate = measured.checkouts.length / measured.seconds;
    const p50 = percentile(measured.checkouts, 50);
    const p99 = percentile(measured.checkouts, 99);
    const errors = [...measured.errors.values()].reduce((a, b) => a + b, 0);
    const paidOrders = counts.orders.paid ?? 0;
    const allOrders = Object.values(counts.orders).reduce((a, b) => a + b, 0);
    const matched =
      allOrders === paidOrders &&
      paidOrders === (counts.reservations.committed ?? 0) &&
      paidOrders === Object.values(counts.reservations).reduce((a, b) => a + b, 0) &&
      paidOrders === (counts.payments.captured ?? 0) + (counts.payments.authorized ?? 0) &&
      paidOrders === counts.charges &&
      counts.sold === counts.soldOrderUnits &&
      counts.stockBalance === 0;
    const met = rate >= TARGET_RATE && p99 < TARGET_P99_MS && errors === 0 && matched;
    const cpu = os.cpus();
    process.stdout.write(
      [
        '',
        `# bench:checkout, ${new Date().toISOString()}`,
        `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Built API (NODE_ENV=production, LOG_LEVEL=warn), Redis, gateway simulator in its own process at zero latency; the clients share the same cores.`,
        `${SHOPPERS} shoppers, ${WARMUP_S} s warm-up, ${DURATION_S} s measured (${measured.seconds.toFixed(1)} s). A funnel is POST /carts, 1-3 × POST /carts/:id/items, POST /checkout.`,
        '',
        '| series | per second | p50 ms | p99 ms | errors |',
        '|---|---:|---:|---:|---:|',
        `| complete checkouts (whole funnel) | **${rate.toFixed(0)}** | ${percentile(measured.funnels, 50).toFixed(1)} | ${percentile(measured.funnels, 99).toFixed(1)} | ${errors} |`,
        `| POST /checkout alone (latency of the same requests) | | **${p50.toFixed(1)}** | **${p99.toFixed(1)}** | |`,
        `| baseline: API GET /health/live | ${health.perSecond.toFixed(0)} | ${health.p50.toFixed(1)} | ${health.p99.toFixed(1)} | ${health.failures} |`,
        `| baseline: simulator POST /v1/payment_intents | ${charge.perSecond.toFixed(0)} | ${charge.p50.toFixed(1)} | ${charge.p99.toFixed(1)} | ${charge.failures} |`,
        '',
        `Server CPU over the measured window: API ${(apiCpu / measured.checkouts.length).toFixed(2)} ms per funnel (${((apiCpu / 1000 / measured.seconds) * 100).toFixed(0)} % of one core), simulator ${((simulatorCpu / 1000 / measured.seconds) * 100).toFixed(0)} % of one core.`,
        errors ? `Errors: ${JSON.stringify(Object.fromEntries(measured.errors))}` : 'Errors: none.',
        '',
        `Afterwards (whole run, warm-up included): orders ${JSON.stringify(counts.orders)}, reservations ${JSON.stringify(counts.reservations)}, payments ${JSON.stringify(counts.payments)}, simulator charges ${counts.charges}; units sold ${counts.sold} = units in paid orders ${counts.soldOrderUnits}; SKUs with units still reserved ${counts.stockBalance} → ${matched ? 'they match' : 'MISMATCH'}`,
        '',
        `Target: ≥ ${TARGET_RATE} checkouts/s, p99 < ${TARGET_P99_MS} ms, zero errors, counts matching → ${met ? 'MET' : 'NOT MET'}`,
        '',
      ].join('\n'),
    );
    if (!matched) process.exitCode = 2;
  } finally {
    await api.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`bench:checkout failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
