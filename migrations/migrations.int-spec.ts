import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#testing';

const CONTEXTS = ['identity', 'customers', 'catalog', 'search', 'inventory', 'pricing', 'cart', 'orders', 'payments', 'shipping', 'notifications', 'reviews'];
const TS_NODE = ['--conditions=source', '--import', '@swc-node/register/esm-register'];

function run(command: string, args: string[], databaseUrl: string) {
  const result = spawnSync(command, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('migrations (real PostgreSQL, the real CLI)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(() => db.drop());

  it('npm run db:migrate builds a fresh database: a schema per context and the search extensions', async () => {
    const migrate = run('npm', ['run', '--silent', 'db:migrate'], db.url);
    expect(migrate.status).toBe(0);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const schemas = await client.query('SELECT schema_name FROM information_schema.schemata');
      expect(schemas.rows.map((r) => r.schema_name)).toEqual(expect.arrayContaining([...CONTEXTS, 'platform']));
      const extensions = await client.query('SELECT extname FROM pg_extension');
      expect(extensions.rows.map((r) => r.extname)).toEqual(expect.arrayContaining(['pg_trgm', 'unaccent']));
      const applied = await client.query('SELECT count(*)::int AS n FROM migrations');
      expect(applied.rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    expect(run('npm', ['run', '--silent', 'db:migrate'], db.url).status).toBe(0);
  });

  it('entities and migrations agree: generating a migration yields nothing', () => {
    const check = run('npm', ['run', '--silent', 'db:migration:check'], db.url);
    expect(check.output).toMatch(/No changes in database schema were found/);
    expect(check.status).toBe(0);
  });

  it('the same check fails when an entity has no migration', () => {
    const args = [...TS_NODE, 'node_modules/typeorm/cli.js', 'migration:generate', '--check', '--dryrun', '-d', 'apps/api/test/fixtures/drift/drift.data-source.ts', 'migrations/drift'];
    const check = run('node', args, db.url);
    expect(check.status).toBe(1);
    expect(check.output).toMatch(/drift_probe/);
  });
});
