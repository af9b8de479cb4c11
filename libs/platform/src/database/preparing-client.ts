import { createHash } from 'node:crypto';
import pg from 'pg';

/** Distinct statements a process names at most; past it, new texts run unnamed as before. */
export const MAX_PREPARED_STATEMENTS = 500;
/** Texts seen fewer times than this run unnamed, so one-off SQL is never kept on the server. */
const PREPARE_FROM_RUN = 2;
/** The tally of texts not yet named is dropped when it grows past this (dynamic SQL would fill it). */
const MAX_TALLIED_TEXTS = 5_000;

/**
 * Names for repeated parameterized statements, shared by every connection of the process. A named
 * statement is parsed once per connection, and PostgreSQL may keep its plan (plan_cache_mode) instead
 * of parsing and planning the text on every run; under the checkout's load that parse and plan was
 * more of PostgreSQL's time than executing the statements.
 */
export class StatementNames {
  private readonly named = new Map<string, string>();
  private tallied = new Map<string, number>();

  constructor(private readonly max = MAX_PREPARED_STATEMENTS) {}

  get size(): number {
    return this.named.size;
  }

  /** The name to run `text` under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.named.get(text);
    if (known !== undefined || this.named.size >= this.max) return known;
    const runs = (this.tallied.get(text) ?? 0) + 1;
    if (runs < PREPARE_FROM_RUN) {
      if (this.tallied.size >= MAX_TALLIED_TEXTS) this.tallied = new Map();
      this.tallied.set(text, runs);
      return undefined;
    }
    this.tallied.delete(text);
    const name = `ficus_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    this.named.set(text, name);
    return name;
  }

  /**
   * A new name for a named text whose prepared plan PostgreSQL can no longer use (a migration changed
   * the type of a column it returns): every connection then prepares it afresh under that name.
   */
  renew(text: string): string | undefined {
    const current = this.named.get(text);
    if (current === undefined) return undefined;
    const [base, generation] = current.split('~') as [string, string?];
    const name = `${base}~${Number(generation ?? 0) + 1}`;
    this.named.set(text, name);
    return name;
  }
}

/**
 * After a stale plan: the text is renamed for every connection, and the new name is returned to run
 * it again at once when no transaction was open (the failed statement did nothing); otherwise
 * undefined, and the error goes to the caller.
 */
function renamedAfter(client: pg.Client, names: StatementNames, text: string, error: unknown): string | undefined {
  if (!isStalePlan(error)) return undefined;
  const renamed = names.renew(text);
  return client.getTransactionStatus() === 'I' ? renamed : undefined;
}

/** PostgreSQL's answer to a prepared statement whose result columns changed type since it was planned. */
export const isStalePlan = (error: unknown): boolean =>
  (error as { code?: unknown }).code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

/**
 * A pg `Client` for the pool (`extra.Client`) that runs repeated parameterized statements as named
 * prepared statements. TypeORM and the platform's own SQL pass text and values; nothing else changes.
 * Not for PgBouncer in transaction mode before 1.21 (named statements live on a server connection):
 * DATABASE_PREPARED_STATEMENTS=false turns it off.
 */
export function preparingClient(names: StatementNames = new StatementNames()): typeof pg.Client {
  class PreparingClient extends pg.Client {}
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  // pg's overloads do not survive an override: the arguments pass through as they came.
  PreparingClient.prototype.query = function (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = names.nameFor(config);
      if (name !== undefined) {
        if (callback === undefined) {
          return (query.call(this, { name, text: config, values }) as Promise<unknown>).catch((error: unknown) => {
            const renamed = renamedAfter(this, names, config, error);
            if (renamed === undefined) throw error;
            return query.call(this, { name: renamed, text: config, values });
          });
        }
        const done = callback as (error: unknown, result?: unknown) => void;
        return query.call(this, { name, text: config, values }, (error: unknown, result: unknown) => {
          const renamed = error ? renamedAfter(this, names, config, error) : undefined;
          if (renamed === undefined) done(error, result);
          else query.call(this, { name: renamed, text: config, values }, done);
        });
      }
    }
    return query.call(this, config, values, callback);
  } as typeof pg.Client.prototype.query;
  return PreparingClient;
}
