import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { preparingClient } from './preparing-client.js';

export interface DatabaseSettings {
  url: string;
  poolMax?: number;
  /** Connections kept open however long they sit idle (default 0: every idle one closes). */
  poolMin?: number;
  /** How long a connection above `poolMin` may sit idle before it is closed (default 10 s). */
  poolIdleTimeoutMs?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** Repeated parameterized statements as named prepared statements (default true; see preparing-client.ts). */
  preparedStatements?: boolean;
}

/** One definition of the connection, shared by the apps and the migration data source. */
export function databaseOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    // This pg, not one TypeORM loads by name: in the API's bundle the two would be different copies.
    driver: pg,
    url: settings.url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    extra: {
      max: settings.poolMax ?? 10,
      min: settings.poolMin ?? 0,
      idleTimeoutMillis: settings.poolIdleTimeoutMs ?? 10_000,
      connectionTimeoutMillis: settings.connectTimeoutMs ?? 2000,
      statement_timeout: settings.statementTimeoutMs ?? 10000,
      application_name: settings.applicationName ?? 'ficus',
      ...(settings.preparedStatements === false ? {} : { Client: preparingClient() }),
    },
  };
}
