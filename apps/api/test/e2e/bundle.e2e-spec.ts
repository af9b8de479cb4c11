import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  eventually,
  type RunningProcess,
  signAccessToken,
  startNodeProcess,
  type TestDatabase,
  testRedisUrl,
  testSigningKey,
} from '#testing';

// The API as `npm run start:api` and the Docker image run it: the esbuild bundle of the tsc output
// (libs/devtools/src/bundle-api.ts) started with a V8 code cache (api-bundle-loader.ts). Built here,
// since CI runs no build: a dependency that loads files from its own folder or a second copy of a
// bundled package fails this spec, not production.
const BUNDLE = 'dist/bundle/api/main.js';
const cacheDir = mkdtempSync(join(tmpdir(), 'ficus-bundle-spec-'));

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the bundled API process', () => {
  let db: TestDatabase;
  let api: RunningProcess;
  let url: string | undefined;

  const start = async (nodeArgs: string[] = [], entry = BUNDLE) => {
    api = startNodeProcess(entry, {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}bundle:`,
      JWT_SIGNING_KEY: testSigningKey(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      FICUS_CODE_CACHE_DIR: cacheDir,
    }, nodeArgs);
    [, url] = await api.waitFor(/listening on (http:\/\/[\d.:]+)/, 60_000);
    listeningAt = Date.now();
  };
  let listeningAt = 0;
  const cacheFiles = () => readdirSync(cacheDir).filter((file) => file.endsWith('.v8cache'));

  beforeAll(async () => {
    await run('npx', ['nest', 'build', 'api']);
    await run('npm', ['run', '--silent', 'build:bundle']);
    db = await createTestDatabase();
    await start();
  }, 300_000);

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await db?.drop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('is ready (database through the bundled pg, given to TypeORM as its driver) and serves the OpenAPI document and UI', async () => {
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const document = (await (await fetch(`${url}/docs/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(document.paths['/api/v1/auth/register']).toBeDefined();
    // Schema names come from class names: the bundle must keep them (keepNames).
    expect(document.components.schemas.RegisterDto).toBeDefined();
    expect((await fetch(`${url}/docs`)).status).toBe(200);
  });

  it('writes its code cache right after it starts listening, not seconds into serving', async () => {
    // Not the fallback, 10 s after the process started: within a few seconds of listening.
    await eventually(() => cacheFiles().length === 1, 4_000);
    expect(Date.now() - listeningAt).toBeLessThan(4_000);
  });

  it('registers, logs in and verifies the token (argon2, JWKS, class-validator DTOs)', async () => {
    const email = `bundle-${Date.now()}@example.com`;
    const registered = await fetch(`${url}/api/v1/auth/register`, json({ email, password: 'correct-horse-battery', name: 'Bundle' }));
    expect(registered.status).toBe(201);
    const login = await fetch(`${url}/api/v1/auth/login`, json({ email, password: 'correct-horse-battery' }));
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const whoami = await fetch(`${url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await whoami.json()).toMatchObject({ roles: ['customer'] });
  });

  it('validates and transforms input through the bundled class-validator and class-transformer', async () => {
    const invalid = await fetch(`${url}/api/v1/auth/register`, json({ email: 'not-an-email', password: 'short' }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED' });
    const badPage = await fetch(`${url}/api/v1/products?page=0`);
    expect(badPage.status).toBe(400);
  });

  it('creates a product as an admin and lists it in the catalog', async () => {
    const admin = await signAccessToken(url as string, testSigningKey(), ['admin']);
    const sku = `BUNDLE-${Date.now()}`;
    const created = await fetch(`${url}/api/v1/admin/products`, {
      ...json({ name: `Bundled kite ${sku}`, status: 'active', variants: [{ sku, price: { amount: 1999, currency: 'EUR' } }] }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    });
    expect(created.status).toBe(201);
    const list = (await (await fetch(`${url}/api/v1/products?pageSize=50`)).json()) as { items: { name: string }[] };
    expect(list.items.map((p) => p.name)).toContain(`Bundled kite ${sku}`);
  });

  it('logs JSON lines, and on SIGTERM drains, closes and exits 0', async () => {
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    const lines = api.output().split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(10);
    const notJson = lines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(api.output()).toMatch(/closed cleanly/);
    expect(cacheFiles()).toHaveLength(1);
  });

  it('starts again from the code cache it wrote and serves', async () => {
    await start();
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const invalid = await fetch(`${url}/api/v1/auth/register`, json({ email: 'not-an-email' }));
    expect(invalid.status).toBe(400);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  }, 90_000);

  it('keeps a code cache per set of node flags: a start with other flags leaves the first one alone', async () => {
    const [first] = cacheFiles();
    const written = statSync(join(cacheDir, first!)).mtimeMs;
    await start(['--max-semi-space-size=16']);
    await eventually(() => cacheFiles().length === 2);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(statSync(join(cacheDir, first!)).mtimeMs).toBe(written);
  }, 90_000);

  it('keeps a code cache per bundle: a second checkout\'s bundle started in turn (an A/B benchmark) leaves the first one alone', async () => {
    const files = cacheFiles();
    const written = new Map(files.map((file) => [file, statSync(join(cacheDir, file)).mtimeMs]));
    const copy = 'dist/bundle/api-second-checkout'; // beside the first, so its externals resolve from the same node_modules
    mkdirSync(copy, { recursive: true });
    try {
      for (const file of ['main.js', 'api.cjs']) copyFileSync(join('dist/bundle/api', file), join(copy, file));
      await start([], join(copy, 'main.js'));
      await eventually(() => cacheFiles().length === files.length + 1);
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      for (const [file, mtime] of written) expect(statSync(join(cacheDir, file)).mtimeMs).toBe(mtime);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 90_000);
});
