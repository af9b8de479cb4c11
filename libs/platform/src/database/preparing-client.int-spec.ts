import pg from 'pg';
import { adminDatabaseUrl } from '#testing';
import { StatementNames, preparingClient } from './preparing-client.js';

describe('StatementNames', () => {
  it('names a text from its second run on, the same name every time after', () => {
    const names = new StatementNames();
    expect(names.nameFor('SELECT $1')).toBeUndefined();
    const name = names.nameFor('SELECT $1');
    expect(name).toMatch(/^ficus_[0-9a-f]{24}$/);
    expect(names.nameFor('SELECT $1')).toBe(name);
    names.nameFor('SELECT $2');
    expect(names.nameFor('SELECT $2')).not.toBe(name);
  });

  it('stops naming new texts at its maximum and keeps the names it gave', () => {
    const names = new StatementNames(2);
    for (const text of ['a', 'a', 'b', 'b']) names.nameFor(text);
    expect(names.size).toBe(2);
    names.nameFor('c');
    expect(names.nameFor('c')).toBeUndefined();
    expect(names.nameFor('a')).toBeDefined();
  });
});

describe('preparingClient against PostgreSQL', () => {
  let pool: pg.Pool;

  beforeEach(() => {
    pool = new pg.Pool({ connectionString: adminDatabaseUrl(), max: 1, Client: preparingClient() });
  });

  afterEach(() => pool.end());

  const prepared = async () =>
    (await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).rows.map((r) => r.statement);

  it('runs a repeated parameterized statement as one named statement on the connection, with the same results', async () => {
    const sql = 'SELECT $1::int + 1 AS n';
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await pool.query<{ n: number }>(sql, [i])).rows[0]!.n);
    expect(results).toEqual([1, 2, 3]);
    expect(await prepared()).toEqual([sql]);
  });

  it('leaves statements without parameters and one-off texts unnamed', async () => {
    await pool.query('SELECT 1');
    await pool.query('SELECT 1');
    await pool.query('SELECT $1::text AS once', ['x']);
    expect(await prepared()).toEqual([]);
  });

  it('passes errors of a named statement to the caller and keeps the connection usable', async () => {
    const sql = 'SELECT 1 / $1::int AS q';
    await pool.query(sql, [1]);
    await expect(pool.query(sql, [0])).rejects.toMatchObject({ code: '22012' });
    expect((await pool.query(sql, [2])).rows[0].q).toBe(0);
  });

  it('prepares a statement afresh when a migration changed the type of a column it returns, retrying at once outside a transaction', async () => {
    const names = new StatementNames();
    await pool.end();
    pool = new pg.Pool({ connectionString: adminDatabaseUrl(), max: 1, Client: preparingClient(names) });
    await pool.query('CREATE TEMP TABLE stale_plan (a int)');
    await pool.query('INSERT INTO stale_plan VALUES (1), (2)');
    const sql = 'SELECT a FROM stale_plan WHERE a >= $1 ORDER BY a';
    for (let i = 0; i < 2; i++) expect((await pool.query(sql, [1])).rows).toEqual([{ a: 1 }, { a: 2 }]);
    const first = names.nameFor(sql);
    await pool.query('ALTER TABLE stale_plan ALTER COLUMN a TYPE bigint');
    // bigint comes back as a string: the new plan's result type.
    expect((await pool.query(sql, [2])).rows).toEqual([{ a: '2' }]);
    expect(names.nameFor(sql)).not.toBe(first);

    // Inside a transaction the statement's failure aborted it: the caller sees the error; the next run works.
    await pool.query('ALTER TABLE stale_plan ALTER COLUMN a TYPE int');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await expect(client.query(sql, [1])).rejects.toMatchObject({ code: '0A000' });
      await client.query('ROLLBACK');
      expect((await client.query(sql, [1])).rows).toEqual([{ a: 1 }, { a: 2 }]);
    } finally {
      client.release();
    }
    // The callback form heals the same way.
    await pool.query('ALTER TABLE stale_plan ALTER COLUMN a TYPE bigint');
    const viaCallback = await new Promise<unknown[]>((resolve, reject) => pool.query(sql, [1], (error, result) => (error ? reject(error) : resolve(result.rows))));
    expect(viaCallback).toEqual([{ a: '1' }, { a: '2' }]);
  });

  it('works with the callback form pg-pool and older callers use', async () => {
    const sql = 'SELECT $1::int * 2 AS d';
    const viaCallback = (value: number) =>
      new Promise<number>((resolve, reject) => pool.query(sql, [value], (error, result) => (error ? reject(error) : resolve(result.rows[0].d))));
    expect([await viaCallback(2), await viaCallback(3)]).toEqual([4, 6]);
    expect(await prepared()).toEqual([sql]);
  });
});
