import { randomUUID } from 'node:crypto';
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_BUNDLE_ENTRY, API_BUNDLE_INPUT, API_NODE_FLAGS } from '../../libs/devtools/src/bundle-api.js';
import { deleteKeysWithPrefix } from '../../libs/testing/src/jest/redis-keys.mjs';
import { freePort } from '../../libs/testing/src/process.js';

export { freePort };

/** The built API as production runs it: the bundle that `npm run build` makes of the tsc output. */
export const API_ENTRY = API_BUNDLE_ENTRY;

/**
 * Throws when `entry` is the bundle and it is missing or older than the tsc output it is made from
 * (a `nest build` without `npm run build:bundle` after it): a bench would measure stale code.
 */
export function assertBundleFresh(root: string, entry = API_ENTRY): void {
  if (entry !== API_BUNDLE_ENTRY) return;
  const mtime = (file: string) => statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs;
  const bundle = mtime(API_BUNDLE_ENTRY);
  const input = mtime(API_BUNDLE_INPUT);
  if (bundle === undefined) throw new Error(`${API_BUNDLE_ENTRY} is missing: run \`npm run build\` (or \`npm run build:bundle\` after a nest build)`);
  if (input !== undefined && input > bundle) throw new Error(`${API_BUNDLE_ENTRY} is older than ${API_BUNDLE_INPUT}: run \`npm run build:bundle\``);
}

export interface ApiServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));


/**
 * Starts the built API with `env` and its production flags (API_NODE_FLAGS), and waits for
 * /health/ready. BENCH_API_NODE_ARGS adds node flags
 * to the API alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under a bench's load;
 * BENCH_API_STDOUT=<file> keeps its stdout (its log lines, or `--trace-gc` output) in that file.
 */
export async function startApiServer(root: string, env: NodeJS.ProcessEnv): Promise<ApiServer> {
  assertBundleFresh(root);
  const port = await freePort();
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const stdout = process.env.BENCH_API_STDOUT ? openSync(process.env.BENCH_API_STDOUT, 'w') : 'ignore';
  const child = spawn(process.execPath, [...API_NODE_FLAGS, ...nodeArgs, API_ENTRY], { cwd: root, env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env, PORT: String(port) }, stdio: ['ignore', stdout, 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the API exited before it was ready:\n${stderr}`);
    if (waited > 60_000) throw new Error(`the API was not ready within 60 s:\n${stderr}`);
    if ((await getStatus(`${url}/health/ready`).catch(() => 0)) === 200) break;
    await sleep(100);
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      running.delete(child);
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** GET with a keep-alive agent: status, body and wall time in ms (client side, includes HTTP). */
export function timedGet(url: string): Promise<{ status: number; body: string; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      })
      .on('error', reject);
  });
}

export const getStatus = async (url: string) => (await timedGet(url)).status;

/** The value of one Prometheus sample (summed over series whose labels contain `labels`). */
export async function metric(baseUrl: string, name: string, labels = ''): Promise<number> {
  const { body } = await timedGet(`${baseUrl}/metrics`);
  let sum = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const [series, value] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
    if ((series === name || series.startsWith(`${name}{`)) && series.includes(labels)) sum += Number(value);
  }
  return sum;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!;
}

/** A Zipf(s) sampler over ranks 0..n-1: rank 0 is the most popular. `random` in [0, 1). */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A seeded PRNG (mulberry32), so every run draws the same workload. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `clients` loops of `request` for `durationMs` (or until `until()` turns true); latencies (ms,
 * sorted), failures (status >= 400 or a refused connection) and the rate.
 */
export async function closedLoop(clients: number, durationMs: number, request: () => Promise<{ status: number; ms: number }>, until = () => false) {
  const latencies: number[] = [];
  const failures: string[] = [];
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline && !until()) {
        const { status, ms } = await request().catch((error: Error) => ({ status: 599, ms: 0, error }));
        if (status >= 400) failures.push(String(status));
        else latencies.push(ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, failures, perSecond: latencies.length / seconds, seconds };
}

/** Runs a command in `cwd` to completion (its output shown, stdout optionally not); rejects on a non-zero exit. */
export function runCommand(cwd: string, command: string, argv: string[], env: NodeJS.ProcessEnv = {}, { quiet = false } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${argv.join(' ')} exited ${code}`))));
  });
}

/**
 * The built API as the benches run it: Redis with a prefix of its own, the bench signing key, the
 * rate limit out of the way; `env` adds to or overrides that.
 */
export async function startBenchApi(root: string, keyFile: string, env: NodeJS.ProcessEnv): Promise<ApiServer> {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = env.REDIS_KEY_PREFIX || `ficus-bench:${randomUUID().slice(0, 8)}:`;
  const api = await startApiServer(root, { REDIS_URL: redisUrl, JWT_SIGNING_KEY_FILE: keyFile, THROTTLE_LIMIT: '100000000', ...env, REDIS_KEY_PREFIX: prefix });
  return {
    ...api,
    // Its jobs, cache entries and limits go with it: runs would otherwise pile up keys in Redis.
    stop: async () => {
      await api.stop();
      if (env.REDIS_URL !== '') await deleteKeys(env.REDIS_URL ?? redisUrl, prefix);
    },
  };
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** The gateway simulator as its own process, as `npm run gateway:simulator` runs it; waits for /health. */
export async function startSimulatorProcess(root: string): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', '@swc-node/register/esm-register', 'libs/devtools/src/gateway-simulator/main.ts'], {
    cwd: root,
    env: { ...process.env, GATEWAY_SIMULATOR_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; (await getStatus(`${url}/health`).catch(() => 0)) !== 200; waited += 100) {
    if (child.exitCode !== null) throw new Error('the gateway simulator exited before it was ready');
    if (waited > 30_000) throw new Error('the gateway simulator did not start within 30 s');
    await sleep(100);
  }
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}
