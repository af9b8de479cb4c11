import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SimulatorClient, charge } from './simulator-test-kit.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TS_NODE = ['--conditions=source', '--import', '@swc-node/register/esm-register'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`simulator exited with ${child.exitCode}:\n${output()}`);
    const ok = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`simulator did not answer /health within 15 s:\n${output()}`);
}

describe('gateway simulator as its own process (npm run gateway:simulator)', () => {
  let child: ChildProcess;
  let output = '';
  let sim: SimulatorClient;

  beforeAll(async () => {
    const port = await freePort();
    child = spawn(process.execPath, [...TS_NODE, MAIN], {
      env: { ...process.env, NODE_OPTIONS: '', PORT: '1', GATEWAY_SIMULATOR_PORT: String(port), GATEWAY_SIMULATOR_SEED: '7', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    sim = new SimulatorClient(`http://127.0.0.1:${port}`);
    await waitForHealth(sim.url, child, () => output);
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('charges, loses a response under faults, and lets the client find the charge by its key', async () => {
    expect((await sim.post('/v1/payment_intents', charge(), 'proc-1')).body.status).toBe('captured');
    await sim.faults({ lostResponseRate: 1 });
    await expect(sim.post('/v1/payment_intents', charge({ amount: 500 }), 'proc-2')).rejects.toThrow('fetch failed');
    await sim.faults({});
    const found = (await sim.get('/v1/payment_intents?idempotency_key=proc-2')).body.data;
    expect(found).toEqual([expect.objectContaining({ amount: 500, status: 'captured' })]);
    expect((await sim.ledger()).totals).toEqual({ eur: { authorized: 0, captured: 2499, refunded: 0 } });
    expect((await sim.get('/_control/faults')).body.seed).toBe(7);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
