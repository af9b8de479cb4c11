import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import type { SearchDocument } from '#contracts';
import { SearchRebuildRunningError } from './search.errors.js';
import { LIVE_TABLE, NEXT_TABLE, REBUILD_LOCK, REMOVED_DURING_REBUILD, TERM_LEXEMES, writeDocuments } from './search-documents.repository.js';

interface IndexDef {
  name: string;
  /** CREATE INDEX statement as PostgreSQL prints it. */
  definition: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const nextName = (name: string) => `${name}_next`.slice(0, 63);
const oldName = (name: string) => `${name}_old`.slice(0, 63);

/**
 * A full rebuild of the PostgreSQL index beside the live table: fill `search.documents_next`
 * (primary key only, so bulk writes stay cheap), build the live table's other indexes on it, then
 * swap the two by renaming in one short transaction. Searches read the live table throughout; live
 * writes go to both tables meanwhile (see joinRebuild), so nothing written during the rebuild is lost.
 */
@Injectable()
export class SearchRebuildRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Claims the rebuild (one at a time, released if this process dies) and creates the empty next table. */
  async begin(): Promise<QueryRunner> {
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    const [{ claimed }] = (await session.query('SELECT pg_try_advisory_lock($1, 2) AS claimed', [REBUILD_LOCK])) as { claimed: boolean }[];
    if (!claimed) {
      await session.release();
      throw new SearchRebuildRunningError();
    }
    try {
      // Leftovers of a rebuild that died are dropped; nobody else can be using them.
      await this.dropNext(session);
      const primaryKey = await this.primaryKeyName();
      await session.query(`CREATE TABLE ${NEXT_TABLE} (LIKE ${LIVE_TABLE} INCLUDING DEFAULTS)`);
      await session.query(`ALTER TABLE ${NEXT_TABLE} ADD CONSTRAINT ${quote(nextName(primaryKey))} PRIMARY KEY (product_id)`);
      await session.query(`CREATE TABLE ${REMOVED_DURING_REBUILD} (product_id uuid PRIMARY KEY)`);
      return session;
    } catch (error) {
      await this.end(session);
      throw error;
    }
  }

  /** Adds documents read by the rebuild; a row a live write put there first is newer and stays. */
  fill(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return Promise.resolve();
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, 1)', [REBUILD_LOCK]);
      await writeDocuments(tx, NEXT_TABLE, docs, false);
    });
  }

  /** Indexes the next table like the live one, swaps them atomically, then refreshes the vocabulary. */
  async commit(session: QueryRunner): Promise<void> {
    const primaryKey = await this.primaryKeyName();
    const indexes = await this.secondaryIndexes();
    for (const index of indexes) await session.query(this.onNextTable(index));
    await session.query(`ANALYZE ${NEXT_TABLE}`);
    await session.startTransaction();
    try {
      await session.query('SELECT pg_advisory_xact_lock($1, 1)', [REBUILD_LOCK]);
      // Searches wait here for the few milliseconds of the renames, then read the new table.
      await session.query(`LOCK TABLE ${LIVE_TABLE} IN ACCESS EXCLUSIVE MODE`);
      await session.query(`ALTER TABLE ${LIVE_TABLE} RENAME TO documents_old`);
      await session.query(`ALTER TABLE search.documents_old RENAME CONSTRAINT ${quote(primaryKey)} TO ${quote(oldName(primaryKey))}`);
      for (const { name } of indexes) await session.query(`ALTER INDEX search.${quote(name)} RENAME TO ${quote(oldName(name))}`);
      await session.query(`ALTER TABLE ${NEXT_TABLE} RENAME TO documents`);
      await session.query(`ALTER TABLE ${LIVE_TABLE} RENAME CONSTRAINT ${quote(nextName(primaryKey))} TO ${quote(primaryKey)}`);
      for (const { name } of indexes) await session.query(`ALTER INDEX search.${quote(nextName(name))} RENAME TO ${quote(name)}`);
      await session.query('DROP TABLE search.documents_old');
      await session.query(`DROP TABLE ${REMOVED_DURING_REBUILD}`);
      await session.commitTransaction();
    } catch (error) {
      await session.rollbackTransaction();
      throw error;
    }
    await this.refreshTerms();
  }

  /** Drops what the rebuild made and releases the claim. */
  async abort(session: QueryRunner): Promise<void> {
    try {
      await this.dropNext(session);
    } finally {
      await this.end(session);
    }
  }

  async end(session: QueryRunner): Promise<void> {
    if (session.isReleased) return;
    await session.query('SELECT pg_advisory_unlock($1, 2)', [REBUILD_LOCK]).catch(() => undefined);
    await session.release();
  }

  /** The vocabulary becomes the words of the documents now indexed: words of removed products go. */
  private async refreshTerms(): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE live_terms ON COMMIT DROP AS
                      SELECT DISTINCT l.lexeme AS term FROM ${LIVE_TABLE} d, unnest(d.search_vector) l WHERE ${TERM_LEXEMES}`);
      await tx.query('DELETE FROM search.terms t WHERE NOT EXISTS (SELECT 1 FROM live_terms l WHERE l.term = t.term)');
      await tx.query('INSERT INTO search.terms (term) SELECT term FROM live_terms ON CONFLICT DO NOTHING');
    });
  }

  private async dropNext(session: QueryRunner): Promise<void> {
    await session.query(`DROP TABLE IF EXISTS ${NEXT_TABLE}, ${REMOVED_DURING_REBUILD}, search.documents_old`);
  }

  private async primaryKeyName(): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT conname AS name FROM pg_constraint WHERE conrelid = '${LIVE_TABLE}'::regclass AND contype = 'p'`,
    )) as { name: string }[];
    if (!row) throw new Error(`${LIVE_TABLE} has no primary key`);
    return row.name;
  }

  /** The live table's indexes other than its primary key, as the migrations made them. */
  private secondaryIndexes(): Promise<IndexDef[]> {
    return this.dataSource.query(
      `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = '${LIVE_TABLE}'::regclass AND NOT x.indisprimary ORDER BY i.relname`,
    );
  }

  /** The same index on the next table, under a name of its own until the swap. */
  private onNextTable({ name, definition }: IndexDef): string {
    const match = /^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (USING .*)$/.exec(definition);
    if (!match) throw new Error(`Cannot copy index ${name}: ${definition}`);
    return `CREATE ${match[1] ?? ''}INDEX ${quote(nextName(name))} ON ${NEXT_TABLE} ${match[2]}`;
  }
}
