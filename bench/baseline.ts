// `npm run bench:baseline [-- --duration 10] [-- --no-build] [-- --boot-only] [-- --boot-runs N] [-- --entry FILE]`
//
// Measures the framework tax: the API's GET /health/live (built output, NODE_ENV=production) against
// a bare Fastify hello-world (bench/bare-fastify.ts), each in its own process on this machine, driven
// by the same in-process autocannon client. Also measures boot to ready (spawn until GET
// /health/ready answers 200). Prints a markdown table, writes bench/results/baseline-<date>.json and
// PASS/FAIL against the targets; exits 0 either way unless something crashed.
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_NODE_FLAGS } from '../libs/devtools/src/bundle-api.js';
import { API_ENTRY, assertBundleFresh } from './lib/api-server.js';
import { benchSigningKeyFile, cpuMs, median } from './lib/proc-cpu.js';
import { ensureDatabase } from './lib/shop.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const BARE_ENTRY = 'bench/bare-fastify.ts';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ficus_bench';

const TARGET_RATIO = 0.7;
const TARGET_BOOT_MS = 1500;
const CONNECTIONS = 100;
const WARMUP_S = 2;
const ROUNDS = 2;
const DEFAULT_BOOT_RUNS = 3;
const POLL_MS = 20;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Arguments

interface Args {
  build: boolean;
  durationS: number;
  /** Measure boot to ready only, no throughput rounds. */
  bootOnly: boolean;
  bootRuns: number;
  /** The API's entry file, relative to the repo root; throughput uses the first. */
  entry: string;
  /** Every --entry given: boot runs alternate between them (an A/B in one time window). */
  entries: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { build: true, durationS: 10, bootOnly: false, bootRuns: DEFAULT_BOOT_RUNS, entry: API_ENTRY, entries: [] };
  const value = (arg: string, i: number): [string | undefined, number] =>
    arg.includes('=') ? [arg.slice(arg.indexOf('=') + 1), i] : [argv[i + 1], i + 1];
  const positive = (name: string, raw: string | undefined): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number, got ${String(raw)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const flag = arg.split('=')[0];
    if (arg === '--no-build') args.build = false;
    else if (arg === '--boot-only') args.bootOnly = true;
    else if (flag === '--duration') {
      const [raw, next] = value(arg, i);
      args.durationS = positive('--duration (seconds)', raw);
      i = next;
    } else if (flag === '--boot-runs') {
      const [raw, next] = value(arg, i);
      args.bootRuns = Math.round(positive('--boot-runs', raw));
      i = next;
    } else if (flag === '--entry') {
      const [raw, next] = value(arg, i);
      if (!raw) throw new Error('--entry needs a file');
      args.entries.push(raw);
      i = next;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'usage: npm run bench:baseline -- [--duration SECONDS] [--no-build] [--boot-only] [--boot-runs N] [--entry FILE]\n' +
          `  --boot-only   measure boot to ready only (no throughput rounds)\n` +
          `  --boot-runs   boot measurements (default ${DEFAULT_BOOT_RUNS})\n` +
          `  --entry       the API entry to spawn (default ${API_ENTRY}); repeat it to alternate boot runs between entries\n`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  if (args.entries.length === 0) args.entries.push(API_ENTRY);
  args.entry = args.entries[0] as string;
  return args;
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed on exit, error or Ctrl-C.

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function killAllSync(signal: NodeJS.Signals): void {
  for (const child of children) {
    if (alive(child)) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

process.on('exit', () => killAllSync('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal} received: stopping child processes\n`);
    killAllSync('SIGTERM');
    setTimeout(() => process.exit(130), 1000).unref();
    void Promise.all([...children].map((c) => waitExit(c, 900))).then(() => process.exit(130));
  });
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (!alive(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (!alive(child)) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
    process.stderr.write(`pid ${child.pid} did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM: SIGKILL\n`);
    child.kill('SIGKILL');
    await waitExit(child, 5000);
  }
}

/** Runs a command to completion with inherited stdio; throws on a non-zero exit. */
async function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const child = track(spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' }));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
  if (code !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`})`);
}

/** A running server process with the tail of its output kept for error reports. */
interface Server {
  child: ChildProcess;
  output: () => string;
}

function startServer(args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Server {
  const child = track(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let tail = '';
  let partial = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-16_384);
    if (onLine) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => tail };
}

function crashError(what: string, server: Server): Error {
  const { child } = server;
  return new Error(
    `${what} exited before it was ready (${child.signalCode ?? `exit ${child.exitCode}`}). Its output:\n${server.output().trim()}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Status code of a GET, or 0 when the connection fails. Plain node:http: no lazy-loaded client. */
function getStatus(url: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

/** Polls until the URL answers 200; throws when the process dies or the timeout passes. */
async function waitReady(url: string, server: Server, what: string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  let last = 0;
  while (performance.now() < deadline) {
    if (!alive(server.child)) throw crashError(what, server);
    last = await getStatus(url);
    if (last === 200) return;
    await sleep(POLL_MS);
  }
  throw new Error(`${what} not ready at ${url} within ${START_TIMEOUT_MS} ms (last status ${last}). Its output:\n${server.output().trim()}`);
}

function waitForLine(server: Server, pattern: RegExp, what: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not print ${pattern} within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const check = setInterval(() => {
      if (lines.some((l) => pattern.test(l))) done(resolve);
      else if (!alive(server.child)) done(() => reject(crashError(what, server)));
    }, 5);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      clearInterval(check);
      fn();
    };
  });
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------
// Targets

type TargetName = 'bare' | 'api';

interface Started {
  server: Server;
  port: number;
  /** Spawn to ready, measured here. */
  bootMs: number;
  /** The app's own "in N ms" (process start to listening), when it printed it. */
  appReportedMs: number | null;
}

async function startTarget(name: TargetName, apiEnv: NodeJS.ProcessEnv, entry: string, logLevel = 'warn'): Promise<Started> {
  const port = await freePort();
  // Only the lines that matter are kept: at info the API logs one line per mapped route.
  const lines: string[] = [];
  const keepLines = (line: string) => {
    if (/^listening$|Ficus API listening on/.test(line)) lines.push(line);
  };
  const t0 = performance.now();
  if (name === 'bare') {
    const server = startServer(
      ['--conditions=source', '--import', '@swc-node/register/esm-register', BARE_ENTRY],
      { ...process.env, PORT: String(port), NODE_ENV: 'production' },
      keepLines,
    );
    await waitForLine(server, /^listening$/, 'bare Fastify', lines);
    await waitReady(`http://127.0.0.1:${port}/health/live`, server, 'bare Fastify');
    return { server, port, bootMs: performance.now() - t0, appReportedMs: null };
  }
  // The API as production starts it, its V8 flags included (bare Fastify runs with Node's defaults).
  const server = startServer([...API_NODE_FLAGS, entry], { ...apiEnv, PORT: String(port), LOG_LEVEL: logLevel }, keepLines);
  await waitReady(`http://127.0.0.1:${port}/health/ready`, server, 'API');
  const bootMs = performance.now() - t0;
  // The listening line is logged right after listen(); give the pipe a moment to deliver it.
  await sleep(50);
  let appReportedMs: number | null = null;
  for (const line of lines) {
    const match = /Ficus API listening on .* in (\d+) ms/.exec(line);
    if (match) appReportedMs = Number(match[1]);
  }
  return { server, port, bootMs, appReportedMs };
}

interface Measurement {
  target: TargetName;
  round: number;
  reqPerSec: number;
  reqPerSecStddev: number;
  totalRequests: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function cannon(url: string, durationS: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: durationS, pipelining: 1 });
}

async function measure(name: TargetName, round: number, args: Args, apiEnv: NodeJS.ProcessEnv): Promise<Measurement> {
  const { durationS } = args;
  const started = await startTarget(name, apiEnv, args.entry);
  try {
    const url = `http://127.0.0.1:${started.port}/health/live`;
    process.stdout.write(`  round ${round} ${name.padEnd(4)} warm-up ${WARMUP_S} s ... `);
    await cannon(url, WARMUP_S);
    process.stdout.write(`measuring ${durationS} s ... `);
    const result = await cannon(url, durationS);
    if (!alive(started.server.child)) throw crashError(name, started.server);
    const m: Measurement = {
      target: name,
      round,
      reqPerSec: result.requests.average,
      reqPerSecStddev: result.requests.stddev,
      totalRequests: result.requests.total,
      latencyMs: {
        mean: result.latency.mean,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    };
    process.stdout.write(`${fmt(m.reqPerSec)} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms\n`);
    if (m.non2xx || m.errors || m.timeouts) {
      process.stdout.write(`    warning: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts\n`);
    }
    return m;
  } finally {
    await stop(started.server.child);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const cpus = os.cpus();
  const command =
    process.env.npm_lifecycle_event === 'bench:baseline'
      ? `npm run bench:baseline${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
      : [process.argv0, ...process.execArgv, relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' ');
  const machine = {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: started.toISOString(),
    command,
  };
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const redisMode = redisUrl ? `Redis at ${maskUrl(redisUrl)}` : 'REDIS_URL unset: single-process mode (in-memory cache, BullMQ on PostgreSQL)';

  const out = process.stdout;
  out.write('# Ficus baseline: Nest API vs bare Fastify\n\n');
  out.write(`- CPU: ${machine.cpuModel} (${machine.cores} cores)\n`);
  out.write(`- Memory: ${machine.totalMemoryGiB} GiB\n`);
  out.write(`- Node: ${machine.node} on ${machine.platform}\n`);
  out.write(`- Date (UTC): ${machine.date}\n`);
  out.write(`- Command: ${machine.command}\n`);
  if (!args.bootOnly) out.write(`- Load: autocannon, ${CONNECTIONS} connections, ${args.durationS} s per run after a ${WARMUP_S} s warm-up (discarded), ${ROUNDS} alternating rounds, each target a fresh process\n`);
  out.write(`- API: node ${args.entries.join(" / node ")}, NODE_ENV=production, LOG_LEVEL=warn for throughput (request logging at info would dominate the measurement), THROTTLE_LIMIT=100000000\n`);
  out.write(`- Database: ${maskUrl(databaseUrl)}\n`);
  out.write(`- Redis: ${redisMode}\n\n`);

  if (args.build) {
    out.write('## Build\n\n');
    await run('npm', ['run', 'build']);
  } else out.write('(--no-build: using the existing dist/)\n');

  for (const entry of args.entries) assertBundleFresh(ROOT, entry);
  out.write(`Migrating ${maskUrl(databaseUrl)}\n`);
  await ensureDatabase(ROOT, databaseUrl);

  const apiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    THROTTLE_LIMIT: '100000000',
    JWT_SIGNING_KEY_FILE: benchSigningKeyFile(ROOT),
  };

  // Boot to ready. LOG_LEVEL=info here so the app prints its own "in N ms" line (no load is running,
  // and health probes log at debug, so this costs only the boot lines).
  out.write(`\n## Boot to ready (${args.bootRuns} runs${args.entries.length > 1 ? ' of each entry, alternating' : ''}, spawn until GET /health/ready = 200, polled every ${POLL_MS} ms)\n\n`);
  const bootsOf = new Map(args.entries.map((entry) => [entry, [] as { bootMs: number; appReportedMs: number | null; cpuMs: number }[]]));
  for (let i = 1; i <= args.bootRuns; i++) {
    for (const [entry, boots] of bootsOf) {
      const s = await startTarget('api', apiEnv, entry, 'info');
      // CPU the process used until ready: less sensitive than wall time to what else the cores run.
      const cpu = cpuMs(s.server.child.pid as number);
      await stop(s.server.child);
      boots.push({ bootMs: s.bootMs, appReportedMs: s.appReportedMs, cpuMs: cpu });
      const label = args.entries.length > 1 ? ` ${entry}` : '';
      out.write(`  run ${i}${label}: ${fmt(s.bootMs)} ms to ready (${fmt(cpu)} ms CPU); app reports ${s.appReportedMs ?? '?'} ms to listening\n`);
    }
  }
  const summariseBoots = (boots: { bootMs: number; appReportedMs: number | null; cpuMs: number }[]) => {
    const bootTimes = boots.map((b) => b.bootMs);
    const appTimes = boots.map((b) => b.appReportedMs).filter((v): v is number => v !== null);
    return {
      runsMs: bootTimes.map((v) => Math.round(v)),
      minMs: Math.round(Math.min(...bootTimes)),
      medianMs: Math.round(median(bootTimes)),
      appReportedMs: appTimes,
      appReportedMedianMs: appTimes.length ? Math.round(median(appTimes)) : null,
      cpuMs: boots.map((b) => Math.round(b.cpuMs)),
      cpuMedianMs: Math.round(median(boots.map((b) => b.cpuMs))),
      logLevel: 'info',
    };
  };
  const bootByEntry = Object.fromEntries([...bootsOf].map(([entry, boots]) => [entry, summariseBoots(boots)]));
  const boot = bootByEntry[args.entry] as ReturnType<typeof summariseBoots>;

  if (args.bootOnly) {
    out.write(`\n| entry | boot to ready, median (min) of ${args.bootRuns} | CPU to ready, median | app-reported to listening, median | target | result |\n|---|---:|---:|---:|---:|---|\n`);
    for (const [entry, b] of Object.entries(bootByEntry)) {
      out.write(`| ${entry} | ${fmt(b.medianMs)} ms (${fmt(b.minMs)} ms) | ${fmt(b.cpuMedianMs)} ms | ${b.appReportedMedianMs ?? '?'} ms | < ${fmt(TARGET_BOOT_MS)} ms | ${b.medianMs < TARGET_BOOT_MS ? 'PASS' : 'FAIL'} |\n`);
    }
    const bootPass = boot.medianMs < TARGET_BOOT_MS;
    const results = {
      machine,
      config: { bootOnly: true, bootRuns: args.bootRuns, build: args.build, apiEntry: args.entry, entries: args.entries, api: { NODE_ENV: 'production', databaseUrl: maskUrl(databaseUrl), redis: redisMode } },
      boot,
      bootByEntry,
      targets: { bootMs: { target: TARGET_BOOT_MS, value: boot.medianMs, pass: bootPass } },
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `baseline-boot-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    out.write(`\nResults written to ${relative(ROOT, file)}\n`);
    out.write(`\nboot:       ${bootPass ? 'PASS' : 'FAIL'} (${args.entry}: median ${fmt(boot.medianMs)} ms, target < 1,500 ms)\n`);
    return;
  }

  out.write(`\n## Throughput (GET /health/live)\n\n`);
  const measurements: Measurement[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    measurements.push(await measure('bare', round, args, apiEnv));
    measurements.push(await measure('api', round, args, apiEnv));
  }

  const summarise = (target: TargetName) => {
    const ms = measurements.filter((m) => m.target === target);
    return {
      rounds: ms.map((m) => Math.round(m.reqPerSec)),
      meanReqPerSec: mean(ms.map((m) => m.reqPerSec)),
      p50Ms: mean(ms.map((m) => m.latencyMs.p50)),
      p99Ms: mean(ms.map((m) => m.latencyMs.p99)),
      non2xx: ms.reduce((a, m) => a + m.non2xx, 0),
      errors: ms.reduce((a, m) => a + m.errors + m.timeouts, 0),
    };
  };
  const bare = summarise('bare');
  const api = summarise('api');
  const ratio = api.meanReqPerSec / bare.meanReqPerSec;
  const throughputPass = ratio >= TARGET_RATIO && api.non2xx === 0 && api.errors === 0;
  const bootPass = boot.medianMs < TARGET_BOOT_MS;

  const roundCols = Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1} req/s`);
  const row = (label: string, s: ReturnType<typeof summarise>) =>
    `| ${label} | ${s.rounds.map((r) => fmt(r)).join(' | ')} | **${fmt(s.meanReqPerSec)}** | ${fmt(s.p50Ms, 1)} | ${fmt(s.p99Ms, 1)} | ${s.non2xx} / ${s.errors} |`;
  out.write('\n');
  out.write(`| target | ${roundCols.join(' | ')} | mean req/s | p50 ms | p99 ms | non-2xx / errors |\n`);
  out.write(`|---|${roundCols.map(() => '---:').join('|')}|---:|---:|---:|---:|\n`);
  out.write(`${row('bare Fastify 5', bare)}\n`);
  out.write(`${row('Ficus API (Nest 12 + Fastify)', api)}\n`);
  out.write('\n');
  out.write(`| metric | value | target | result |\n|---|---:|---:|---|\n`);
  out.write(`| throughput ratio api/bare | ${(ratio * 100).toFixed(1)} % | >= ${TARGET_RATIO * 100} % | ${throughputPass ? 'PASS' : 'FAIL'} |\n`);
  out.write(`| boot to ready, median (min) | ${fmt(boot.medianMs)} ms (${fmt(boot.minMs)} ms) | < ${fmt(TARGET_BOOT_MS)} ms | ${bootPass ? 'PASS' : 'FAIL'} |\n`);
  out.write(`| app-reported start to listening, median | ${boot.appReportedMedianMs ?? '?'} ms | | |\n`);
  out.write('\n(p50/p99 are means over the rounds; latency is per request at 100 concurrent connections.)\n');

  const results = {
    machine,
    config: {
      connections: CONNECTIONS,
      durationS: args.durationS,
      warmupS: WARMUP_S,
      rounds: ROUNDS,
      bootRuns: args.bootRuns,
      build: args.build,
      apiEntry: args.entry,
      bareEntry: BARE_ENTRY,
      api: { NODE_ENV: 'production', LOG_LEVEL: 'warn', THROTTLE_LIMIT: 100000000, databaseUrl: maskUrl(databaseUrl), redis: redisMode },
    },
    boot,
    throughput: { measurements, bare, api, ratio },
    targets: {
      ratio: { target: TARGET_RATIO, value: ratio, pass: throughputPass },
      bootMs: { target: TARGET_BOOT_MS, value: boot.medianMs, pass: bootPass },
    },
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `baseline-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  out.write(`\nResults written to ${relative(ROOT, file)}\n`);
  out.write(`\nthroughput: ${throughputPass ? 'PASS' : 'FAIL'} (${(ratio * 100).toFixed(1)} % of bare Fastify, target >= 70 %)\n`);
  out.write(`boot:       ${bootPass ? 'PASS' : 'FAIL'} (median ${fmt(boot.medianMs)} ms, target < 1,500 ms)\n`);
}

main().then(
  async () => {
    await Promise.all([...children].map((c) => stop(c)));
    process.exit(0);
  },
  async (error: unknown) => {
    process.stderr.write(`\nbench:baseline crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAllSync('SIGTERM');
    await Promise.all([...children].map((c) => waitExit(c, 3000)));
    process.exit(1);
  },
);
