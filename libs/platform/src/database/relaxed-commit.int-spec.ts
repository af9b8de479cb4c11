import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#testing';
import { RELAX_COMMIT } from './relaxed-commit.js';

describe('RELAX_COMMIT: one statement commits without waiting for its WAL flush, the connection keeps its setting (real PostgreSQL)', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let other: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    client = new pg.Client({ connectionString: db.url });
    other = new pg.Client({ connectionString: db.url });
    await client.connect();
    await other.connect();
    await client.query('CREATE TABLE notes (id int PRIMARY KEY, body text)');
  });
  afterAll(async () => {
    await client.end();
    await other.end();
    await db.drop();
  });

  const setting = async () => (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;

  it('is off for the statement that evaluates it, as its commit reads it, and back to the default for the next one', async () => {
    const before = await setting();
    expect(before).not.toBe('off');
    const { rows } = await client.query(`SELECT ${RELAX_COMMIT} AS relaxed, current_setting('synchronous_commit') AS during`);
    expect(rows[0]).toEqual({ relaxed: 'off', during: 'off' });
    expect(await setting()).toBe(before);
  });

  it('as the repositories use it (a write whose result row evaluates it): written, seen at once by another connection, nothing leaks', async () => {
    const before = await setting();
    const write = `WITH saved AS (INSERT INTO notes (id, body) VALUES ($1, $2) RETURNING id) SELECT saved.id FROM saved WHERE ${RELAX_COMMIT} IS NOT NULL`;
    // A prepared statement, as the app's pool runs repeated texts.
    const saved = await client.query({ name: 'relaxed-note', text: write, values: [1, 'first'] });
    expect(saved.rows).toEqual([{ id: 1 }]);
    expect((await other.query('SELECT body FROM notes WHERE id = 1')).rows).toEqual([{ body: 'first' }]);
    expect(await setting()).toBe(before);
    // And inside an explicit transaction it ends with that transaction.
    await client.query('BEGIN');
    await client.query({ name: 'relaxed-note', text: write, values: [2, 'second'] });
    expect(await setting()).toBe('off');
    await client.query('COMMIT');
    expect(await setting()).toBe(before);
  });
});
