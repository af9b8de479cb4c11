// `npm run bench:proxy [-- --duration SECONDS]`
//
// The legacy proxy against the floor, in one run on this machine: a tiny upstream (bench/proxy/
// upstream.ts) hit directly, through a bare undici forwarder (bench/proxy/bare-forwarder.ts) and
// through the proxy (apps/legacy-proxy from source, LOG_LEVEL=warn) on an unmatched (legacy)
// route and on a cut-over (api) route, each in its own process. autocannon at 100 connections
// for requests per second (and the serving process's CPU time per request over that run, read
// from /proc: steadier than req/s on shared cores), at 10 connections for the p50 latency (added
// against the upstream hit directly, and against the forwarder: on a slow or busy machine the
// forwarder alone adds a millisecond or two, which is the floor any proxy sets); the
// proxy's RSS sampled every second over all its runs. --duration is per measurement (default
// 10 s). --memory SECONDS then keeps 100 connections on the proxy's legacy route that long and
// prints its RSS each minute (300: the issue's 5-minute memory run). --rounds N then measures
// the forwarder and the proxy's two routes N times more at 100 connections, interleaved (one
// after the other in each round, so a neighbour's load on the shared cores hits all three
// alike), and prints each round's ratios and their median. Prints markdown and exits 0 unless
// something crashed.
import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/api-server.js';
import { cpuMs } from './lib/proc-cpu.js';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TS = ['--conditions=source', '--import', '@swc-node/register/esm-register'];
const WARMUP_S = 3;
const children: ChildProcess[] = [];

function secondsArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number of seconds`);
  return value;
}

/** RSS of the proxy each minute under steady load: flat memory shows as a level series after warm-up. */
async function memoryRun(url: string, pid: number, seconds: number): Promise<void> {
  const samples = [`0 s: ${rssMb(pid).toFixed(1)}`];
  const started = Date.now();
  const sampler = setInterval(() => samples.push(`${Math.round((Date.now() - started) / 1000)} s: ${rssMb(pid).toFixed(1)}`), 60_000);
  const result = await load(url, 100, seconds);
  clearInterval(sampler);
  process.stdout.write(`\nmemory run, ${seconds} s at 100 connections on the legacy route (${Math.round(result.rps).toLocaleString('en')} req/s), proxy RSS in MiB:\n${samples.join('\n')}\nend: ${rssMb(pid).toFixed(1)}\n`);
}

/** The forwarder and the proxy's routes measured in turn, round after round: ratios per round and their median. */
async function interleavedRounds(targets: { name: string; url: string; pid: number }[], rounds: number, seconds: number): Promise<void> {
  const [forwarder, ...proxied] = targets;
  const ratios = proxied.map(() => ({ rps: [] as number[], cpu: [] as number[] }));
  process.stdout.write(`\n${rounds} interleaved rounds, ${seconds} s each at 100 connections: proxy / forwarder, req/s (CPU µs per request)\n\n| round | forwarder req/s | ${proxied.map((t) => t.name).join(' | ')} |\n|---|---:|${proxied.map(() => '---:').join('|')}|\n`);
  for (let round = 1; round <= rounds; round++) {
    const base = await load(forwarder!.url, 100, seconds, forwarder!.pid);
    const cells = [];
    for (const [i, target] of proxied.entries()) {
      const result = await load(target.url, 100, seconds, target.pid);
      ratios[i]!.rps.push(result.rps / base.rps);
      ratios[i]!.cpu.push(result.cpuUsPerRequest / base.cpuUsPerRequest);
      cells.push(`${percent(result.rps / base.rps)} (${percent(result.cpuUsPerRequest / base.cpuUsPerRequest)})`);
    }
    process.stdout.write(`| ${round} | ${Math.round(base.rps).toLocaleString('en')} | ${cells.join(' | ')} |\n`);
  }
  process.stdout.write(`| median | | ${ratios.map((r) => `${percent(median(r.rps))} (${percent(median(r.cpu))})`).join(' | ')} |\n`);
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function start(entry: string, env: Record<string, string>, ready: () => Promise<boolean>): Promise<ChildProcess> {
  const child = fork(join(ROOT, entry), [], { cwd: ROOT, execArgv: TS, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  for (let i = 0; i < 300; i++) {
    if (await ready().catch(() => false)) return child;
    await sleep(100);
  }
  throw new Error(`${entry} did not start`);
}

const answers = (url: string) => async () => (await fetch(url)).status === 200;

async function load(url: string, connections: number, seconds: number, pid?: number) {
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  const result = await autocannon({ url, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpuUsPerRequest = pid === undefined ? NaN : ((cpuMs(pid) - cpuBefore) * 1000) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, mean: result.latency.mean, p99: result.latency.p99, cpuUsPerRequest };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

async function main(): Promise<void> {
  const seconds = secondsArg('--duration', 10);
  const memorySeconds = secondsArg('--memory', 0);
  const rounds = secondsArg('--rounds', 0);
  const [upstreamPort, forwarderPort, proxyPort] = [await freePort(), await freePort(), await freePort()];
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const dir = await mkdtemp(join(os.tmpdir(), 'ficus-bench-proxy-'));
  const routes = join(dir, 'routes.yaml');
  await writeFile(routes, 'routes:\n  - name: cut-over\n    methods: GET\n    path: /index.php\n    query: { route: product/view, id: ":id" }\n    mode: api\n    rewrite: /api/v1/products/:id\n');

  const upstreamProcess = await start('bench/proxy/upstream.ts', { PORT: String(upstreamPort) }, answers(upstream));
  const forwarderProcess = await start('bench/proxy/bare-forwarder.ts', { PORT: String(forwarderPort), UPSTREAM_URL: upstream }, answers(`http://127.0.0.1:${forwarderPort}/`));
  const proxy = await start(
    'apps/legacy-proxy/src/main.ts',
    { PROXY_PORT: String(proxyPort), HOST: '127.0.0.1', LEGACY_URL: upstream, API_URL: upstream, PROXY_ROUTES_FILE: routes, LOG_LEVEL: 'warn', NODE_ENV: 'development', REDIS_URL: '' },
    answers(`http://127.0.0.1:${proxyPort}/health/live`),
  );

  const targets = [
    { name: 'upstream directly', url: `${upstream}/index.php?route=product/list`, pid: upstreamProcess.pid! },
    { name: 'bare undici forwarder', url: `http://127.0.0.1:${forwarderPort}/index.php?route=product/list`, pid: forwarderProcess.pid! },
    { name: 'proxy, legacy route', url: `http://127.0.0.1:${proxyPort}/index.php?route=product/list`, pid: proxy.pid! },
    { name: 'proxy, cut-over route', url: `http://127.0.0.1:${proxyPort}/index.php?route=product/view&id=7`, pid: proxy.pid! },
  ];
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMb(proxy.pid!)), 1000);
  const rows = [];
  for (const target of targets) {
    await load(target.url, 100, WARMUP_S);
    const throughput = await load(target.url, 100, seconds, target.pid);
    const latency = await load(target.url, 10, seconds);
    rows.push({ ...target, rps: throughput.rps, cpu: throughput.cpuUsPerRequest, p50: latency.p50, mean: latency.mean, p99: latency.p99 });
  }
  clearInterval(sampler);

  const [direct, forwarder] = rows;
  process.stdout.write(`\n${new Date().toISOString()}, ${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}, --duration ${seconds}\n\n`);
  process.stdout.write(
    '| target | req/s at 100 conn | CPU µs/req at 100 conn | p50 ms at 10 conn | mean ms at 10 conn | p99 ms at 10 conn | req/s vs forwarder | CPU/req vs forwarder | p50 added vs direct | p50 added vs forwarder | mean added vs direct | mean added vs forwarder |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n',
  );
  for (const row of rows) {
    process.stdout.write(
      `| ${row.name} | ${Math.round(row.rps).toLocaleString('en')} | ${row.cpu.toFixed(1)} | ${row.p50} | ${row.mean.toFixed(2)} | ${row.p99} | ${((row.rps / forwarder!.rps) * 100).toFixed(1)} % | ${((row.cpu / forwarder!.cpu) * 100).toFixed(1)} % | ${(row.p50 - direct!.p50).toFixed(2)} ms | ${(row.p50 - forwarder!.p50).toFixed(2)} ms | ${(row.mean - direct!.mean).toFixed(2)} ms | ${(row.mean - forwarder!.mean).toFixed(2)} ms |\n`,
    );
  }
  const third = Math.max(1, Math.floor(rss.length / 3));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  if (rounds > 0) await interleavedRounds(targets.slice(1), rounds, seconds);
  if (memorySeconds > 0) await memoryRun(targets[2]!.url, proxy.pid!, memorySeconds);
  process.stdout.write(`\nproxy RSS (MiB) over ${rss.length} s: min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)}, first third mean ${mean(rss.slice(0, third)).toFixed(1)}, last third mean ${mean(rss.slice(-third)).toFixed(1)}\n`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench:proxy failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill('SIGTERM');
  });
