import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// `npm run demo` as a newcomer runs it, with nothing configured: embedded PostgreSQL, migrations,
// the API and the proxy; `--check` hits each URL once and stops everything.
describe('npm run demo', () => {
  it('starts the whole system on an embedded PostgreSQL, answers, and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ficus-demo-'));
    const [port, proxyPort, pgPort, gatewayPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
    const child = spawn('npm', ['run', '--silent', 'demo', '--', '--check'], {
      env: { ...inherited, NODE_OPTIONS: '', PORT: String(port), PROXY_PORT: String(proxyPort), DEMO_PG_PORT: String(pgPort), GATEWAY_SIMULATOR_PORT: String(gatewayPort), DEMO_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });

    if (code !== 0) throw new Error(`demo exited ${code}:\n${output}`);
    expect(output).toMatch(new RegExp(`postgres(ql)?://postgres:[^@]+@127\\.0\\.0\\.1:${pgPort}/ficus`));
    for (const path of ['/docs', '/docs/openapi.json', '/health/ready', '/metrics']) {
      expect(output).toMatch(new RegExp(`check .* 200 +http://127\\.0\\.0\\.1:${port}${path.replace('.', '\\.')}\\s`));
    }
    expect(output).toMatch(new RegExp(`check .* 200 +http://127\\.0\\.0\\.1:${proxyPort}/health/live`));
    expect(output).toMatch(new RegExp(`check Gateway ledger +200 +http://127\\.0\\.0\\.1:${gatewayPort}/ledger`));
    // A product renamed through the admin API is found by search within the limit (2 s).
    const lag = /check Index lag +(\d+) ms/.exec(output);
    expect(Number(lag?.[1])).toBeLessThan(2000);
  }, 120_000);
});
