// `npm run bench:auth [-- --duration 10]`
//
// 1. Authenticated GET /api/v1/auth/whoami (RS256 bearer token, verified by passport-jwt) against the
//    same handler without authentication (GET /api/v1/bench/whoami-open, @Public()), alternating in
//    one API process: req/s at 100 connections, and server CPU µs per request from /proc.
//    Target: authenticated >= 80 % of the unauthenticated req/s.
//    A third series sends a different token on every request (more tokens than the verified-token
//    cache holds, in order, so every request pays the RSA verification): the worst case.
// 2. Login latency (argon2id m=19 MiB, t=2, p=1 dominates): sequential, then 8 concurrent clients.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { benchSigningKeyFile, cpuMs, median } from './lib/proc-cpu.js';
import { ensureDatabase } from './lib/shop.js';

const ROOT = process.cwd();
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ficus_bench';
// Production configuration: rate limits in Redis. (The in-memory fallback keeps a log of every hit
// in the window, which at the bench's limit of 10^8 grows without bound and would swamp both sides.)
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const TARGET = 0.8;
const ROUNDS = 3;
const CONNECTIONS = 100;
const durationArg = process.argv.indexOf('--duration');
const DURATION_S = durationArg > 0 ? Number(process.argv[durationArg + 1]) : 10;
const SEQUENTIAL_LOGINS = 40;
const CONCURRENT_CLIENTS = 8;
const CONCURRENT_S = 5;
const PASSWORD = 'bench-password-1234';
const DISTINCT_TOKENS = 6000;

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function accessToken(base: string, email: string): Promise<string> {
  await post(`${base}/api/v1/auth/register`, { email, password: PASSWORD, name: 'Bench User' });
  const login = await post(`${base}/api/v1/auth/login`, { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.json)}`);
  return String(login.json.accessToken);
}

/** Tokens as identity signs them, each for a different subject: none repeats within the cache's reach. */
async function distinctTokens(base: string, keyFile: string): Promise<string[]> {
  const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  const key = readFileSync(keyFile, 'utf8');
  return Array.from({ length: DISTINCT_TOKENS }, (_, i) =>
    jwt.sign({ roles: ['customer'] }, key, {
      algorithm: 'RS256',
      keyid: jwks.keys[0]?.kid,
      issuer: 'ficus',
      audience: 'ficus-api',
      subject: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      expiresIn: 900,
      notBefore: 0,
    }),
  );
}

async function load(pid: number, url: string, headers: Record<string, string>, rotate?: string[]) {
  let next = 0;
  const requests = rotate && [
    {
      setupRequest: (request: autocannon.Request) => ({
        ...request,
        headers: { ...request.headers, authorization: `Bearer ${rotate[next++ % rotate.length]}` },
      }),
    },
  ];
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2, requests });
  const before = cpuMs(pid);
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S, requests });
  const cpuUs = ((cpuMs(pid) - before) * 1000) / result.requests.total;
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { reqPerSec: result.requests.average, cpuUs, p99Ms: result.latency.p99 };
}

async function loginLatencies(base: string, email: string) {
  const once = async () => {
    const t0 = performance.now();
    const { status } = await post(`${base}/api/v1/auth/login`, { email, password: PASSWORD });
    if (status !== 200) throw new Error(`login answered ${status}`);
    return performance.now() - t0;
  };
  const sequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL_LOGINS; i += 1) sequential.push(await once());
  const concurrent: number[] = [];
  const until = performance.now() + CONCURRENT_S * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT_CLIENTS }, async () => {
      while (performance.now() < until) concurrent.push(await once());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;
  return {
    sequential: { n: sequential.length, p50: median(sequential), p95: pct(sequential, 0.95), max: Math.max(...sequential) },
    concurrent: { clients: CONCURRENT_CLIENTS, n: concurrent.length, perSecond: concurrent.length / seconds, p50: median(concurrent), p99: pct(concurrent, 0.99) },
  };
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  console.log(`# Auth bench, ${date}\n- ${os.cpus()[0]?.model} x${os.cpus().length}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`- API from source (swc), NODE_ENV=production, LOG_LEVEL=warn, Redis ${REDIS_URL} for rate limits`);
  console.log(`- command: npm run bench:auth${DURATION_S !== 10 ? ` -- --duration ${DURATION_S}` : ''}; ${ROUNDS} alternating rounds of ${DURATION_S} s at ${CONNECTIONS} connections, 2 s warm-up each\n`);
  await ensureDatabase(ROOT, DATABASE_URL);
  const port = 4800 + Math.floor(Math.random() * 100);
  const base = `http://127.0.0.1:${port}`;
  const keyFile = benchSigningKeyFile(ROOT);
  const child = spawn('node', ['--conditions=source', '--import', '@swc-node/register/esm-register', 'bench/auth/api-with-open-whoami.ts'], {
    env: {
      ...process.env,
      DATABASE_URL,
      REDIS_URL,
      REDIS_KEY_PREFIX: 'ficus-bench:',
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      THROTTLE_LIMIT: '100000000',
      LOGIN_LIMIT_PER_ACCOUNT: '100000000',
      LOGIN_LIMIT_PER_IP: '100000000',
      JWT_SIGNING_KEY_FILE: keyFile,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; !(await fetch(`${base}/health/ready`).then((r) => r.ok, () => false)); i += 1) {
      if (i > 300 || child.exitCode !== null) throw new Error('the API did not start');
      await sleep(100);
    }
    const email = `bench-${Date.now()}@example.com`;
    const token = await accessToken(base, email);
    const tokens = await distinctTokens(base, keyFile);
    const samples = { open: [] as Awaited<ReturnType<typeof load>>[], auth: [] as Awaited<ReturnType<typeof load>>[], cold: [] as Awaited<ReturnType<typeof load>>[] };
    const pid = child.pid as number;
    for (let round = 1; round <= ROUNDS; round += 1) {
      samples.open.push(await load(pid, `${base}/api/v1/bench/whoami-open`, {}));
      samples.auth.push(await load(pid, `${base}/api/v1/auth/whoami`, { authorization: `Bearer ${token}` }));
      samples.cold.push(await load(pid, `${base}/api/v1/auth/whoami`, {}, tokens));
      const line = (name: string, x?: Awaited<ReturnType<typeof load>>) => `${name} ${x?.reqPerSec.toFixed(0)} req/s (${x?.cpuUs.toFixed(1)} µs CPU)`;
      console.log(`  round ${round}: ${line('open', samples.open.at(-1))}, ${line('authenticated', samples.auth.at(-1))}, ${line('new token each request', samples.cold.at(-1))}`);
    }
    const summary = (xs: Awaited<ReturnType<typeof load>>[]) => ({ reqPerSec: median(xs.map((x) => x.reqPerSec)), cpuUs: median(xs.map((x) => x.cpuUs)), p99Ms: median(xs.map((x) => x.p99Ms)) });
    const open = summary(samples.open);
    const auth = summary(samples.auth);
    const cold = summary(samples.cold);
    const ratio = auth.reqPerSec / open.reqPerSec;
    console.log('\n| GET whoami | req/s (median) | server CPU µs / request | p99 ms |\n|---|---:|---:|---:|');
    console.log(`| without auth (@Public) | ${open.reqPerSec.toFixed(0)} | ${open.cpuUs.toFixed(1)} | ${open.p99Ms} |`);
    console.log(`| with a bearer token (a client's next requests) | ${auth.reqPerSec.toFixed(0)} | ${auth.cpuUs.toFixed(1)} | ${auth.p99Ms} |`);
    console.log(`| with a new token on every request (RSA check each time) | ${cold.reqPerSec.toFixed(0)} | ${cold.cpuUs.toFixed(1)} | ${cold.p99Ms} |`);
    console.log(`\nauthenticated / open: ${(ratio * 100).toFixed(1)} % of req/s (CPU: ${((open.cpuUs / auth.cpuUs) * 100).toFixed(1)} %), target >= ${TARGET * 100} %: ${ratio >= TARGET ? 'PASS' : 'FAIL'}`);
    console.log(`new token each request / open: ${((cold.reqPerSec / open.reqPerSec) * 100).toFixed(1)} % of req/s (CPU: ${((open.cpuUs / cold.cpuUs) * 100).toFixed(1)} %)`);

    const logins = await loginLatencies(base, email);
    console.log(`\n| POST /auth/login | n | p50 ms | p95/p99 ms | max ms | logins/s |\n|---|---:|---:|---:|---:|---:|`);
    console.log(`| sequential | ${logins.sequential.n} | ${logins.sequential.p50.toFixed(1)} | p95 ${logins.sequential.p95.toFixed(1)} | ${logins.sequential.max.toFixed(1)} | |`);
    console.log(`| ${CONCURRENT_CLIENTS} concurrent clients | ${logins.concurrent.n} | ${logins.concurrent.p50.toFixed(1)} | p99 ${logins.concurrent.p99.toFixed(1)} | | ${logins.concurrent.perSecond.toFixed(1)} |`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', `auth-${date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ date, node: process.version, cpus: os.cpus().length, samples, open, auth, cold, ratio, logins }, null, 2)}\n`);
    console.log(`\nResults written to ${file.slice(ROOT.length + 1)}`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(`bench:auth failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
