import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const LEGACY_SHOP_DIR = join(ROOT, 'docker/legacy-php');
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/**
 * php -S logs three lines per request (Accepted, [status]: METHOD path, Closing). Its -q flag
 * would drop them, but PHP's warnings and error_log() lines with them.
 */
const PHP_ACCESS_LOG = /^(?:\[\d+\] )?\[[^\]]+\] \S+:\d+ (?:Accepted|Closing|\[\d{3}\]: )/;

export interface LegacyShop {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** What the shop printed: PHP warnings and errors, and the shop's own error log lines. */
  output(): string;
  close(): Promise<void>;
}

/**
 * The real legacy PHP shop on `databaseUrl`: applies docker/legacy-php/schema.sql and seed.sql
 * (idempotent), then runs `php -S` on a free loopback port (or `port`) with its own session folder,
 * and resolves once `?route=api/health` answers 200.
 */
export async function startLegacyShop(options: { databaseUrl: string; port?: number; env?: Record<string, string> }): Promise<LegacyShop> {
  const env = { ...process.env, LEGACY_DATABASE_URL: options.databaseUrl, ...options.env };
  await setUpLegacyDatabase(env);
  // A port free a moment ago may be taken before php binds it: pick again, unless one was asked for.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runShop(options.port ?? (await freePort()), env);
    } catch (error) {
      if (options.port !== undefined || attempt === 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

/** Runs docker/legacy-php/bin/setup.php: the `legacy` schema and its seed on LEGACY_DATABASE_URL. */
export function setUpLegacyDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolveSetup, reject) => {
    const child = spawn('php', [join(LEGACY_SHOP_DIR, 'bin/setup.php')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new Error(`legacy shop setup: could not run php (${error.message}); install php-cli and php-pgsql`)));
    child.once('exit', (code) => (code === 0 ? resolveSetup() : reject(new Error(`legacy shop setup failed (exit ${code}):\n${output}`))));
  });
}

class PortTakenError extends Error {}

async function runShop(port: number, env: NodeJS.ProcessEnv): Promise<LegacyShop> {
  const sessions = mkdtempSync(join(tmpdir(), 'ficus-legacy-sessions-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('php', ['-d', `session.save_path=${sessions}`, '-S', `127.0.0.1:${port}`, '-t', join(LEGACY_SHOP_DIR, 'public')], {
    env: { PHP_CLI_SERVER_WORKERS: '4', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the workers php -S forks go with it on close.
    detached: true,
  });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (!PHP_ACCESS_LOG.test(line)) output += `${line}\n`;
    });
  }
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const close = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(sessions, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, output: () => output, close };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = output();
      if (/Address already in use|Failed to listen/i.test(text)) throw new PortTakenError(`legacy shop: ${url} is taken`);
      throw new Error(`legacy shop (php -S) exited with ${child.exitCode ?? child.signalCode}:\n${text}`);
    }
    try {
      const response = await fetch(`${url}/index.php?route=api/health`, { signal: AbortSignal.timeout(2000) });
      last = `HTTP ${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 50));
  }
  throw new Error(`legacy shop at ${url} not healthy within ${READY_TIMEOUT_MS} ms (last: ${last}):\n${output()}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
