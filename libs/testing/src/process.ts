import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

export const TS_NODE = ['--conditions=source', '--import', '@swc-node/register/esm-register'];

/**
 * For a test that starts TypeScript commands one after another: each start compiles its imports
 * (seconds under two jest workers on two cores), so jest's 30 s default is too close.
 */
export const PROCESS_TEST_TIMEOUT_MS = 120_000;

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Runs a TypeScript entry point to completion as its own process, with `input` on stdin. */
export function runTsCommand(entry: string, args: string[], options: { env: Record<string, string | undefined>; input?: string }): Promise<CommandResult> {
  const child = spawn('node', [...TS_NODE, entry, ...args], {
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Waits until the output matches `pattern`; fails after `timeoutMs` or when the process exits. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
}

/** Starts a TypeScript entry point as its own long-running process (an app under test). */
export function startTsProcess(entry: string, env: Record<string, string | undefined>): RunningProcess {
  return startNodeProcess(entry, env, TS_NODE);
}

/** Starts a JavaScript entry point (built output) as its own long-running process. */
export function startNodeProcess(entry: string, env: Record<string, string | undefined>, nodeArgs: string[] = []): RunningProcess {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn('node', [...nodeArgs, entry], { env: { ...inherited, NODE_OPTIONS: '', NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = output.match(pattern);
      if (match) return match;
      if (child.exitCode !== null || child.signalCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${pattern} in the output of ${entry}:\n${output.slice(-4000)}`);
  };
  return { child, output: () => output, exited, waitFor };
}

/** A TCP port free at this moment, for a process under test that must keep its port across a restart. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
