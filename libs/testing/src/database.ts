import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const adminDatabaseUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string, base = adminDatabaseUrl()): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  return queryOn(adminDatabaseUrl(), sql, params);
}

export interface TestDatabase {
  name: string;
  url: string;
  /** One statement on this database, on its own short-lived connection. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

async function queryOn(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

function runId(): string {
  const run = process.env.FICUS_TEST_RUN;
  if (!run) throw new Error('FICUS_TEST_RUN is unset: run the tests through `npm test` (jest global setup)');
  return run;
}

/** A database of this run: a clone of the migrated template, or empty with `{ migrated: false }`. */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const name = `ficus_test_${runId()}_${randomBytes(4).toString('hex')}`;
  const template = migrated ? ` TEMPLATE "${process.env.FICUS_TEST_TEMPLATE_DB}"` : '';
  await adminQuery(`CREATE DATABASE "${name}"${template}`);
  return {
    name,
    url: databaseUrl(name),
    query: (sql, params) => queryOn(databaseUrl(name), sql, params),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
