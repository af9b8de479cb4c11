// `npm run bench:breaker [-- --duration 15] [--rate 200] [--no-build]`
//
// Issue 6's number: with the payment breaker open, POST /api/v1/payments is refused (503
// PAYMENTS.UNAVAILABLE, Retry-After) with p99 under 50 ms at a steady 200 requests/s. The gateway
// simulator runs as its own process with a 100 % error rate until the breaker opens (the
// payment_gateway_breaker_state gauge reads 1); it then stays open for the whole run
// (PAYMENTS_BREAKER_HALF_OPEN_MS is long). Arrivals are open-loop: request i is sent at start +
// i / rate whether or not earlier ones have answered, and its latency counts from that scheduled
// time, so a stall shows up in the tail instead of slowing the client down (no coordinated
// omission). Compared in the same run with GET /health/live at the same rate, alternating rounds.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { metric, percentile, runCommand, startBenchApi, startSimulatorProcess } from './lib/api-server.js';
import { benchSigningKeyFile } from './lib/proc-cpu.js';
import { adminToken } from './lib/tokens.js';

const ROOT = process.cwd();
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/ficus_bench';
const TARGET_P99_MS = 50;
const ROUNDS = 2;

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '15' }, rate: { type: 'string', default: '200' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const DURATION_S = Number(args.duration);
const RATE = Number(args.rate);


const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Shot {
  method: 'GET' | 'POST';
  path: string;
  headers?: () => Record<string, string>;
  body?: string;
}

function send(base: string, shot: Shot): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(`${base}${shot.path}`, { method: shot.method, agent, headers: shot.headers?.() }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(599));
    request.end(shot.body);
  });
}

/** Open loop: request i leaves at start + i / rate; its latency is measured from then (or from leaving, if that was earlier). */
async function openLoop(base: string, shot: Shot, seconds: number) {
  const total = Math.round(seconds * RATE);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const start = performance.now() + 20;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    // Late (timer jitter, a busy loop): from the due time. A little early: from when it left.
    const origin = Math.min(due, performance.now());
    pending.push(
      send(base, shot).then((status) => {
        latencies.push(performance.now() - origin);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  const achieved = total / ((performance.now() - start) / 1000);
  return { latencies, statuses, achieved };
}

async function main(): Promise<void> {
  if (!args['no-build']) await runCommand(ROOT, 'npm', ['run', '--silent', 'build'], {});
  await runCommand(ROOT, 'npm', ['run', '--silent', 'db:migrate'], { DATABASE_URL });
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
    const payment: Shot = {
      method: 'POST',
      path: '/api/v1/payments',
      headers: () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      body: JSON.stringify({ orderId: randomUUID(), amount: 4999, currency: 'EUR', token: 'tok_ok' }),
    };
    const live: Shot = { method: 'GET', path: '/health/live' };

    await fetch(`${simulator.url}/_control/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1 }) });
    let tries = 0;
    while ((await metric(api.url, 'payment_gateway_breaker_state', 'provider="simulator"')) !== 1) {
      if (++tries > 50) throw new Error('the breaker did not open after 50 failing payments');
      await send(api.url, payment);
    }
    process.stdout.write(`breaker open after ${tries} failing payments\n`);

    await openLoop(api.url, live, 2);
    await openLoop(api.url, payment, 2);
    const series = { live: [] as number[], payment: [] as number[] };
    const statuses = { live: new Map<number, number>(), payment: new Map<number, number>() };
    const achieved = { live: [] as number[], payment: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, shot] of [['live', live], ['payment', payment]] as const) {
        const result = await openLoop(api.url, shot, DURATION_S);
        series[name].push(...result.latencies);
        achieved[name].push(result.achieved);
        for (const [status, n] of result.statuses) statuses[name].set(status, (statuses[name].get(status) ?? 0) + n);
        process.stdout.write(`round ${round} ${name}: p50 ${percentile([...result.latencies].sort((a, b) => a - b), 50).toFixed(2)} ms, p99 ${percentile([...result.latencies].sort((a, b) => a - b), 99).toFixed(2)} ms\n`);
      }
    }
    const stillOpen = (await metric(api.url, 'payment_gateway_breaker_state', 'provider="simulator"')) === 1;
    const ledger = (await (await fetch(`${simulator.url}/ledger`)).json()) as { payment_intents: unknown[] };
    const row = (label: string, name: 'live' | 'payment') => {
      const sorted = [...series[name]].sort((a, b) => a - b);
      const answers = [...statuses[name]].map(([status, n]) => `${n} × ${status}`).join(', ');
      const rate = achieved[name].reduce((a, b) => a + b, 0) / achieved[name].length;
      return `| ${label} | ${rate.toFixed(0)} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${percentile(sorted, 100).toFixed(1)} | ${answers} |`;
    };
    const p99 = percentile([...series.payment].sort((a, b) => a - b), 99);
    process.stdout.write(
      [
        '',
        `# bench:breaker, ${new Date().toISOString()}`,
        `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Linux ${os.release()}. Open loop at ${RATE} req/s, ${ROUNDS} alternating rounds of ${DURATION_S} s per series.`,
        '',
        '| series | achieved req/s | p50 ms | p99 ms | max ms | answers |',
        '|---|---:|---:|---:|---:|---|',
        row('GET /health/live (baseline)', 'live'),
        row('POST /api/v1/payments, breaker open', 'payment'),
        '',
        `breaker still open at the end: ${stillOpen}; payment intents in the simulator's ledger: ${ledger.payment_intents.length} (it failed every call until the breaker opened, so nothing was charged)`,
        `breaker-open rejection p99: ${p99.toFixed(2)} ms (target: under ${TARGET_P99_MS} ms) → ${p99 < TARGET_P99_MS && stillOpen ? 'MET' : 'NOT MET'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await api.stop();
    simulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:breaker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
