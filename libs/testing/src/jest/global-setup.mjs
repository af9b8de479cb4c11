// Before the suite: an ESM copy of CommonJS-only Nest packages (see esm-bridge.cjs), one template
// database migrated with the real `npm run db:migrate`, and a per-run Redis key prefix.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const esmBridge = require('./esm-bridge.cjs');

export const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function globalSetup() {
  await esmBridge();
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `ficus_test_${run}_template`;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${template}"`);
  } finally {
    await client.end();
  }
  const migrate = spawnSync('npm', ['run', '--silent', 'db:migrate'], {
    env: { ...process.env, DATABASE_URL: withDatabase(adminUrl(), template), NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) {
    throw new Error(`db:migrate failed on the template database:\n${migrate.stdout}\n${migrate.stderr}`);
  }
  process.env.FICUS_TEST_RUN = run;
  process.env.FICUS_TEST_TEMPLATE_DB = template;
  process.env.FICUS_TEST_REDIS_PREFIX = `ficus-test-${run}:`;
}
