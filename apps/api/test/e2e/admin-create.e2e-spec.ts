import { createTestDatabase, PROCESS_TEST_TIMEOUT_MS, runTsCommand, type TestDatabase, testRedisUrl, testSigningKey } from '#testing';

const CLI = 'apps/api/src/modules/identity/cli/admin-create.ts';

describe('npm run admin:create (its own process, password on stdin)', () => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}admin-cli:`,
      JWT_SIGNING_KEY: testSigningKey(),
    };
  });
  afterAll(() => db.drop());

  const rolesOf = async (email: string) =>
    (await db.query('SELECT roles, password_hash FROM identity.accounts WHERE email = $1', [email])).rows[0] as
      | { roles: string[]; password_hash: string }
      | undefined;

  it('creates the first admin, then grants the role to an existing account without touching its password', async () => {
    const created = await runTsCommand(CLI, ['--email', ' Ops@Example.com '], { env, input: 'first admin password\n' });
    expect(created.output).toMatch(/Created admin ops@example\.com/);
    expect(created.code).toBe(0);
    const first = await rolesOf('ops@example.com');
    expect(first?.roles).toEqual(['customer', 'admin']);

    await db.query(`UPDATE identity.accounts SET roles = '{customer}' WHERE email = 'ops@example.com'`);
    const promoted = await runTsCommand(CLI, ['--email', 'ops@example.com'], { env, input: 'some other password' });
    expect(promoted.code).toBe(0);
    expect(promoted.output).toMatch(/now has the roles customer, admin; its password is unchanged/);
    const after = await rolesOf('ops@example.com');
    expect(after?.roles).toEqual(['customer', 'admin']);
    expect(after?.password_hash).toBe(first?.password_hash);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('refuses a short password and a missing --email with exit code 2, creating nothing', async () => {
    const short = await runTsCommand(CLI, ['--email', 'short@example.com'], { env, input: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.output).toMatch(/10 to 128 characters/);
    expect(await rolesOf('short@example.com')).toBeUndefined();
    const usage = await runTsCommand(CLI, [], { env, input: 'long enough password\n' });
    expect(usage.code).toBe(2);
    expect(usage.output).toMatch(/Usage: npm run admin:create -- --email/);
  }, PROCESS_TEST_TIMEOUT_MS);
});
