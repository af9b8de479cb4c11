import { createTestDatabase, startTsProcess, type TestDatabase, testRedisUrl, testSigningKey } from '#testing';

// The API as operators run it: its own process, configured by the environment, stopped by a signal.
const startProcess = (env: Record<string, string | undefined>) => startTsProcess('apps/api/src/main.ts', env);

describe('the API process', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('refuses to boot on missing or invalid variables and names each one', async () => {
    const run = startProcess({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(await run.exited).toBe(1);
    const output = run.output();
    expect(output).toMatch(/Invalid environment configuration/);
    expect(output).toMatch(/DATABASE_URL: is required/);
    expect(output).toMatch(/PORT: must be a number/);
    expect(output).toMatch(/LOG_LEVEL: must be one of/);
  });

  it('serves, then on SIGTERM drains, closes and exits 0', async () => {
    const run = startProcess({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}process:`,
      JWT_SIGNING_KEY: testSigningKey(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    try {
      const [, url] = await run.waitFor(/listening on (http:\/\/[\d.:]+)/);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toMatch(/SIGTERM received: draining/);
      expect(run.output()).toMatch(/closed cleanly/);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 30_000);
});
