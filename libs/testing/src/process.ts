import { spawn } from 'node:child_process';

export const TS_NODE = ['--conditions=source', '--import', '@swc-node/register/esm-register'];

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
