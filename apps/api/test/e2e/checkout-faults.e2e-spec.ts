import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  eventually,
  freePort,
  type RunningProcess,
  signAccessToken,
  startTsProcess,
  type TestDatabase,
  testRedisUrl,
  testSigningKey,
} from '#testing';

// Issue 6's fault test, with real processes: the API and the gateway simulator each in their own
// process, PostgreSQL and Redis. 1,000 checkouts from 50 concurrent clients through a gateway that
// fails 10 % of calls, times out 5 %, loses 2 % of responses after charging and declines 3 %;
// clients retry with the same Idempotency-Key on 409 (in flight), 5xx, timeouts and refused
// connections. Then, once reconciliation has run, the books must balance. A second wave kills the
// API with SIGKILL in the middle and restarts it.

const SKUS = ['FAULT-A', 'FAULT-B', 'FAULT-C', 'FAULT-D', 'FAULT-E'];
const STOCK = 1000;
const CLIENTS = 50;
// The simulator's PaymentIntent statuses that mean money was taken.
const CHARGED = ['authorized', 'captured', 'partially_refunded', 'refunded'];
const address = { firstName: 'Flaky', lastName: 'Gateway', line1: 'Teststrasse 5', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' };

interface Outcome {
  status: number;
  body: any;
  tries: number;
  /** A double click's second request: the same checkout, same key, sent at the same moment. */
  twin?: Outcome;
}

interface System {
  db: TestDatabase;
  simulator: RunningProcess & { url: string };
  api: RunningProcess;
  apiUrl: string;
  port: number;
  startApi(): Promise<void>;
  close(): Promise<void>;
}

async function startSystem(): Promise<System> {
  const db = await createTestDatabase();
  const simulatorPort = await freePort();
  const simulatorProcess = startTsProcess('libs/devtools/src/gateway-simulator/main.ts', { GATEWAY_SIMULATOR_PORT: String(simulatorPort), LOG_LEVEL: 'warn', GATEWAY_SIMULATOR_SEED: '6' });
  const simulator = Object.assign(simulatorProcess, { url: `http://127.0.0.1:${simulatorPort}` });
  await eventually(async () => (await fetch(`${simulator.url}/health`)).ok, 30_000, 100);
  const port = await freePort();
  const system: System = {
    db,
    simulator,
    api: undefined as unknown as RunningProcess,
    apiUrl: `http://127.0.0.1:${port}`,
    port,
    async startApi() {
      system.api = startTsProcess('apps/api/src/main.ts', {
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX ?? 'ficus-test:'}${db.name}:`,
        JWT_SIGNING_KEY: testSigningKey(),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        THROTTLE_LIMIT: '10000000',
        GATEWAY_SIMULATOR_URL: simulator.url,
        PAYMENTS_GATEWAY_TIMEOUT_MS: '400',
        PAYMENTS_RECONCILE_EVERY_MS: '1000',
        PAYMENTS_RECONCILE_AFTER_MS: '3000', // longer than a call can be in flight (timeouts and retries), so the reconciler never races one
        IDEMPOTENCY_LEASE_MS: '2000',
      });
      await eventually(async () => (await fetch(`${system.apiUrl}/health/ready`)).ok, 60_000, 100);
    },
    async close() {
      system.api?.child.kill('SIGKILL');
      simulator.child.kill('SIGKILL');
      if (!process.env.FICUS_KEEP_TEST_DB) await db.drop();
    },
  };
  await system.startApi();
  return system;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(system: System, method: string, path: string, payload: unknown, headers: Record<string, string>): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const response = await fetch(`${system.apiUrl}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, retryAfter: response.headers.get('retry-after') };
}

/**
 * A client's retry rule: the same key on 409 in flight, 5xx, timeouts and refused connections,
 * bounded by time (a shopper's patience), not by a count: on loaded CI cores the API's restart
 * from source after the kill -9 took longer than forty quick tries, and a client that gave up
 * left its order to the 15-minute expiry, which is correct but outlasts the test.
 */
async function withRetries(send: () => ReturnType<typeof call>, budgetMs = 180_000): Promise<Outcome> {
  let last: Outcome = { status: 0, body: undefined, tries: 0 };
  const deadline = Date.now() + budgetMs;
  for (let tries = 1; Date.now() < deadline; tries++) {
    const answer = await send().catch((error: Error) => ({ status: 0, body: { error: error.message }, retryAfter: null }));
    last = { status: answer.status, body: answer.body, tries };
    const retryable = answer.status === 0 || answer.status >= 500 || (answer.status === 409 && answer.body?.code === 'IDEMPOTENCY.IN_FLIGHT');
    if (!retryable) return last;
    const hinted = Number(answer.retryAfter) * 1000;
    await sleep(Math.min(Number.isFinite(hinted) && hinted > 0 ? hinted : 100 * 2 ** Math.min(tries, 4), 1500) * (0.5 + Math.random() / 2));
  }
  return last;
}

/** One shopper: a guest cart with one SKU, then checkout; every write carries a key, so retries are safe. */
async function shop(system: System, n: number): Promise<Outcome> {
  const opened = await withRetries(() => call(system, 'POST', '/carts', {}, { 'idempotency-key': randomUUID() }));
  if (opened.status !== 201) return opened;
  const headers = { 'x-cart-token': opened.body.token as string };
  const itemKey = randomUUID();
  const item = { sku: SKUS[n % SKUS.length], quantity: 1 + (n % 2) };
  const added = await withRetries(() => call(system, 'POST', `/carts/${opened.body.id}/items`, item, { ...headers, 'idempotency-key': itemKey }));
  if (added.status !== 201) return added;
  const key = randomUUID();
  const payload = { cartId: opened.body.id, email: `shopper${n}@example.com`, shippingAddress: address, payment: { method: 'card', token: 'tok_visa' } };
  const checkout = () => withRetries(() => call(system, 'POST', '/checkout', payload, { ...headers, 'idempotency-key': key }));
  if (n % 20 !== 7) return checkout();
  // Every twentieth shopper double-clicks: one request runs, the other meets 409 in flight and
  // retries until it gets the first one's answer. Without these, whether clients retry at all is
  // up to the fault dice and the breaker (one CI run saw no retry in 1,000 checkouts).
  const [first, second] = await Promise.all([checkout(), checkout()]);
  return { ...first, twin: second };
}

async function wave(system: System, total: number, onCompleted?: (done: number) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < total) {
        const n = next++;
        outcomes[n] = await shop(system, n);
        onCompleted?.(outcomes.filter(Boolean).length);
      }
    }),
  );
  return outcomes;
}

async function seed(system: System): Promise<void> {
  const admin = { authorization: `Bearer ${await signAccessToken(system.apiUrl, testSigningKey())}` };
  const variants = SKUS.map((sku, i) => ({ sku, price: { amount: 1250 + i * 111, currency: 'EUR' } }));
  expect((await call(system, 'POST', '/admin/products', { name: 'Fault Mug', status: 'active', variants }, admin)).status).toBe(201);
  for (const sku of SKUS) {
    expect((await call(system, 'POST', `/admin/inventory/${sku}/adjustments`, { delta: STOCK, reason: 'fault test', kind: 'received' }, admin)).status).toBe(201);
  }
}

/** The books after everything settled: the invariants, each as its own expectation. */
async function expectBooksBalance(system: System, outcomes: Outcome[]): Promise<void> {
  const q = async (sql: string) => (await system.db.query(sql)).rows;
  // Reconciliation settles every unknown attempt, and with it every pending order.
  const unsettled = async () => ({
    attempts: await q(`SELECT kind, state, count(*)::int AS n FROM payments.payment_attempts WHERE state IN ('unknown', 'pending') GROUP BY 1, 2`),
    orders: await q(
      `SELECT o.status, p.state AS payment, (SELECT string_agg(a.state || coalesce(':' || left(a.error, 60), ''), ' > ' ORDER BY a.created_at) FROM payments.payment_attempts a WHERE a.payment_id = p.id) AS attempts, count(*)::int AS n
         FROM orders.orders o LEFT JOIN payments.payments p ON p.order_id = o.id WHERE o.status = 'pending_payment' GROUP BY 1, 2, 3`,
    ),
  });
  // Declines are the only failures (checked first: a client that gave up explains a pending order below).
  const failures = outcomes.flatMap((o) => [o, ...(o.twin ? [o.twin] : [])]).filter((o) => o.status >= 300 && o.status !== 402);
  expect(failures.map((o) => `${o.status} ${o.body?.code ?? JSON.stringify(o.body)} after ${o.tries} tries`)).toEqual([]);
  await eventually(async () => JSON.stringify(await unsettled()) === JSON.stringify({ attempts: [], orders: [] }), 120_000, 500).catch(() => undefined);
  expect(await unsettled()).toEqual({ attempts: [], orders: [] });

  // And at least 99.97 % of the non-declined checkouts succeed.
  const statuses = outcomes.map((o) => o.status);
  const declined = statuses.filter((s) => s === 402).length;
  const succeeded = outcomes.filter((o) => o.status >= 200 && o.status < 300);
  expect(succeeded.length / (outcomes.length - declined)).toBeGreaterThanOrEqual(0.9997);
  expect(declined).toBeGreaterThan(0); // the fault dice rolled declines, so this wave tested them
  expect(outcomes.flatMap((o) => [o, ...(o.twin ? [o.twin] : [])]).filter((o) => o.tries > 1).length).toBeGreaterThan(0); // and clients had to retry
  // A double click is one checkout: both requests got the same answer.
  const twins = outcomes.filter((o) => o.twin);
  expect(twins.length).toBeGreaterThan(0);
  for (const o of twins) expect({ status: o.twin!.status, order: o.twin!.body?.order?.id }).toEqual({ status: o.status, order: o.body?.order?.id });

  // Every checkout that got a 2xx exists, paid, with the total it was told.
  const orders = new Map((await q(`SELECT id, status, total FROM orders.orders`)).map((o) => [o.id as string, o]));
  for (const outcome of succeeded) {
    expect(orders.get(outcome.body.order.id)).toMatchObject({ status: 'paid', total: outcome.body.order.totals.total });
  }
  const paid = [...orders.values()].filter((o) => o.status === 'paid');
  expect(new Set(succeeded.map((o) => o.body.order.id)).size).toBe(paid.length);
  expect([...orders.values()].filter((o) => o.status !== 'paid' && o.status !== 'cancelled')).toEqual([]);

  // Every charge in the simulator's ledger is exactly one paid order, and every paid order exactly one charge.
  const ledger = (await (await fetch(`${system.simulator.url}/ledger`)).json()) as { payment_intents: { idempotency_key: string; status: string; amount: number }[] };
  const charged = ledger.payment_intents.filter((i) => CHARGED.includes(i.status));
  const orderOfKey = new Map(
    (await q(`SELECT a.provider_key AS key, p.order_id AS "orderId" FROM payments.payment_attempts a JOIN payments.payments p ON p.id = a.payment_id`)).map((r) => [r.key as string, r.orderId as string]),
  );
  const chargedOrders = charged.map((intent) => orderOfKey.get(intent.idempotency_key));
  expect(chargedOrders.filter((id) => id === undefined || orders.get(id)?.status !== 'paid')).toEqual([]);
  expect(new Set(chargedOrders).size).toBe(charged.length);
  expect(charged.length).toBe(paid.length);
  for (const intent of charged) expect(intent.amount).toBe(orders.get(orderOfKey.get(intent.idempotency_key)!)!.total);

  // Stock: on hand + reserved + sold - returned equals the start (a paid order cancelled by a refund
  // returns its units); nothing is left reserved; sold - returned = units in paid orders.
  const units = (kind: string) => `coalesce((SELECT sum(abs(m.on_hand_delta)) FROM inventory.movements m WHERE m.sku = s.sku AND m.kind = '${kind}'), 0)::int`;
  const stock = await q(`SELECT s.sku, s.on_hand AS "onHand", s.reserved, ${units('sold')} AS sold, ${units('returned')} AS returned FROM inventory.stock_levels s ORDER BY s.sku`);
  for (const level of stock) {
    expect({ sku: level.sku, total: level.onHand + level.reserved + level.sold - level.returned, reserved: level.reserved }).toEqual({ sku: level.sku, total: STOCK, reserved: 0 });
  }
  const soldUnits = Number((await q(`SELECT coalesce(sum(l.quantity), 0) AS n FROM orders.order_lines l JOIN orders.orders o ON o.id = l.order_id WHERE o.status = 'paid'`))[0].n);
  expect(stock.reduce((sum, level) => sum + level.sold - level.returned, 0)).toBe(soldUnits);

  // Captured minus refunded equals what the paid orders cost.
  const money = (await q(`SELECT coalesce(sum(captured - refunded), 0)::int AS net FROM payments.payments`))[0].net;
  expect(money).toBe(paid.reduce((sum, o) => sum + o.total, 0));
}

describe('checkout through a flaky gateway, real processes (issue 6 fault test)', () => {
  let system: System | undefined;
  afterEach(async () => {
    await system?.close();
    system = undefined;
  });

  it('1,000 checkouts, 50 clients retrying with the same key: every charge one paid order, declines the only failures, stock and money balance', async () => {
    system = await startSystem();
    await seed(system);
    await fetch(`${system.simulator.url}/_control/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 0.1, timeoutRate: 0.05, lostResponseRate: 0.02, declineRate: 0.03, timeoutHoldMs: 1000 }),
    }).then((r) => expect(r.status).toBe(200));
    const outcomes = await wave(system, 1000);
    await expectBooksBalance(system, outcomes);
  }, 600_000);

  it('survives kill -9 of the API in the middle of a checkout wave: after a restart the same invariants hold', async () => {
    system = await startSystem();
    await seed(system);
    await fetch(`${system.simulator.url}/_control/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ declineRate: 0.03, latencyMs: 20 }),
    }).then((r) => expect(r.status).toBe(200));
    let killed: Promise<void> | undefined;
    const running = system;
    const outcomes = await wave(running, 400, (done) => {
      if (done >= 120 && !killed) {
        killed = (async () => {
          running.api.child.kill('SIGKILL');
          await running.api.exited;
          await sleep(300);
          await running.startApi();
        })();
      }
    });
    await killed;
    expect(running.api.child.exitCode).toBeNull();
    await expectBooksBalance(running, outcomes);
  }, 600_000);
});
