// `npm run bench:idempotency [-- --duration 10] [--rounds 4] [--no-build]`
//
// Issue 6's number: a POST with a fresh Idempotency-Key against the same POST without one, in one
// API process, alternating rounds: at most 15 % fewer requests per second. The POST is a real
// write, an admin stock adjustment (`POST /api/v1/admin/inventory/:sku/adjustments`: a row lock,
// an update, a movement row and an outbox event in one transaction), on a different SKU per
// request so the two series measure the key's cost, not lock waits. autocannon, 32 connections;
// server CPU µs per request from /proc beside the rates.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { runCommand, startBenchApi } from './lib/api-server.js';
import { ensureDatabase } from './lib/shop.js';
import { adminToken } from './lib/tokens.js';
import { benchSigningKeyFile, cpuMs, median } from './lib/proc-cpu.js';

const ROOT = process.cwd();
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/ficus_bench';
const TARGET_LOSS = 0.15;
const CONNECTIONS = 32;

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, rounds: { type: 'string', default: '4' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const DURATION_S = Number(args.duration);
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds: a positive integer, not ${args.rounds}`);


async function series(url: string, pid: number, token: string, withKey: boolean) {
  let n = 0;
  const run = randomUUID().slice(0, 8);
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      setupRequest: (request) => ({
        ...request,
        path: `/api/v1/admin/inventory/BENCH-${run}-${n++}/adjustments`,
        headers: { ...request.headers, ...(withKey ? { 'idempotency-key': randomUUID() } : {}) },
      }),
    },
  ];
  const options = {
    url,
    connections: CONNECTIONS,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ delta: 5, reason: 'benchmark', kind: 'received' }),
    requests,
  };
  await autocannon({ ...options, duration: 2 });
  const before = cpuMs(pid);
  const result = await autocannon({ ...options, duration: DURATION_S });
  if (result.non2xx || result.errors) throw new Error(`${withKey ? 'keyed' : 'plain'} POST: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { reqPerSec: result.requests.average, cpuUs: ((cpuMs(pid) - before) * 1000) / result.requests.total, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  if (!args['no-build']) await runCommand(ROOT, 'npm', ['run', '--silent', 'build'], {});
  await ensureDatabase(ROOT, DATABASE_URL);
  const keyFile = benchSigningKeyFile(ROOT);
  const api = await startBenchApi(ROOT, keyFile, {
    DATABASE_URL,
  });
  try {
    const token = await adminToken(api.url, keyFile);
    const probe = await fetch(`${api.url}/api/v1/admin/inventory/BENCH-PROBE/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ delta: 5, reason: 'benchmark', kind: 'received' }),
    });
    if (probe.status !== 201) throw new Error(`the adjustment route answered ${probe.status}: ${await probe.text()}`);
    const plain: Awaited<ReturnType<typeof series>>[] = [];
    const keyed: Awaited<ReturnType<typeof series>>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // ABBA: every series adds rows (a new SKU per request), so the one that runs second in a
      // round meets larger tables; alternating the order takes that out of the comparison.
      for (const withKey of round % 2 === 1 ? [false, true] : [true, false]) (withKey ? keyed : plain).push(await series(api.url, api.pid, token, withKey));
      process.stdout.write(`round ${round}: without key ${plain.at(-1)!.reqPerSec.toFixed(0)} req/s, with a fresh key ${keyed.at(-1)!.reqPerSec.toFixed(0)} req/s\n`);
    }
    const rate = (xs: { reqPerSec: number }[]) => median(xs.map((x) => x.reqPerSec));
    const cpu = (xs: { cpuUs: number }[]) => median(xs.map((x) => x.cpuUs));
    const loss = 1 - rate(keyed) / rate(plain);
    process.stdout.write(
      [
        '',
        `# bench:idempotency, ${new Date().toISOString()}`,
        `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}. POST /api/v1/admin/inventory/:sku/adjustments, ${CONNECTIONS} connections, median of ${ROUNDS} rounds of ${DURATION_S} s, the order alternating (ABBA).`,
        '',
        '| series | req/s | server CPU µs/request | p99 ms |',
        '|---|---|---|---|',
        `| without Idempotency-Key | ${rate(plain).toFixed(0)} | ${cpu(plain).toFixed(0)} | ${median(plain.map((x) => x.p99))} |`,
        `| with a fresh key | ${rate(keyed).toFixed(0)} | ${cpu(keyed).toFixed(0)} | ${median(keyed.map((x) => x.p99))} |`,
        '',
        `fewer requests per second with the key: ${(loss * 100).toFixed(1)} % (target: at most ${TARGET_LOSS * 100} %) → ${loss <= TARGET_LOSS ? 'MET' : 'NOT MET'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await api.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:idempotency failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
