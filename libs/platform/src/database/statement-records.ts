import type { EntityManager } from 'typeorm';

/** Rows of a statement in a transaction; TypeORM's plain query() returns UPDATE rows as [rows, count]. */
export async function records<T>(tx: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  if (!tx.queryRunner) throw new Error('records() needs the EntityManager of a transaction');
  return (await tx.queryRunner.query(sql, params, true)).records as T[];
}
