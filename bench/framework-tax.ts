// `npm run bench:framework-tax [-- --no-build]`
//
// Where the API's cost per request goes, layer by layer: server CPU time per request (utime+stime
// of the server process from /proc, so the load generator's share of the two cores does not count)
// for bare Fastify, bare Fastify doing the platform's per-request work by hand, Nest alone, Nest
// with the platform's request hooks, and the full API. Median of 3 rounds, each a fresh process,
// 40k warm-up then 150k measured requests to GET /health/live at 100 connections.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { API_NODE_FLAGS } from '../libs/devtools/src/bundle-api.js';
import { API_ENTRY, assertBundleFresh } from './lib/api-server.js';
import { benchSigningKeyFile, cpuMs, median } from './lib/proc-cpu.js';

const TS = ['--conditions=source', '--import', '@swc-node/register/esm-register'];
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ficus_bench';
const ROUNDS = 3;
const WARMUP = 40_000;
const MEASURED = 150_000;

const variants: { name: string; args: string[]; env?: Record<string, string> }[] = [
  { name: 'bare Fastify', args: [...TS, 'bench/bare-fastify.ts'] },
  { name: 'bare Fastify + platform work by hand', args: [...TS, 'bench/framework-tax/bare-fastify-features.ts'] },
  { name: 'Nest 12 + Fastify, one controller', args: [...TS, 'bench/framework-tax/nest-app.ts'] },
  { name: 'Nest + the platform request hooks', args: [...TS, 'bench/framework-tax/nest-app.ts'], env: { FRAMEWORK_TAX_HOOKS: '1' } },
  { name: 'Ficus API (built, bundled)', args: [...API_NODE_FLAGS, API_ENTRY], env: { DATABASE_URL, JWT_SIGNING_KEY_FILE: benchSigningKeyFile(process.cwd()), LOG_LEVEL: 'warn', THROTTLE_LIMIT: '100000000', NODE_ENV: 'production' } },
];

async function measure(variant: (typeof variants)[number], port: number): Promise<number> {
  const child = spawn('node', variant.args, { env: { ...process.env, ...variant.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    const url = `http://127.0.0.1:${port}/health/live`;
    for (let i = 0; ; i += 1) {
      if (i > 300) throw new Error(`${variant.name} did not start`);
      if (await fetch(url).then((r) => r.ok, () => false)) break;
      await sleep(100);
    }
    await autocannon({ url, connections: 100, amount: WARMUP });
    const before = cpuMs(child.pid as number);
    await autocannon({ url, connections: 100, amount: MEASURED });
    return ((cpuMs(child.pid as number) - before) * 1000) / MEASURED;
  } finally {
    child.kill('SIGKILL');
    await sleep(300);
  }
}

if (!process.argv.includes('--no-build')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
assertBundleFresh(process.cwd());
console.log(`# Framework tax, ${new Date().toISOString()}\n- ${os.cpus()[0]?.model} x${os.cpus().length}, Node ${process.version}`);
console.log(`- server CPU µs per request, median of ${ROUNDS} rounds of ${MEASURED} requests (100 connections)\n`);
const samples = new Map<string, number[]>();
let port = 4700;
for (let round = 0; round < ROUNDS; round += 1) {
  for (const variant of variants) {
    const value = await measure(variant, (port += 1));
    samples.set(variant.name, [...(samples.get(variant.name) ?? []), value]);
    process.stdout.write(`  round ${round + 1} ${variant.name}: ${value.toFixed(1)} µs\n`);
  }
}
const bare = median(samples.get('bare Fastify') ?? [1]);
console.log('\n| server | CPU µs / request | share of bare Fastify |\n|---|---:|---:|');
for (const [name, xs] of samples) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${((bare / median(xs)) * 100).toFixed(0)} % |`);
