import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../libs/platform/src/database/database-options.js';

// The one TypeORM data source for the CLI (`npm run db:migrate`, `db:migration:generate`).
// Globs cover both the TypeScript sources and the built JavaScript in dist/.
const here = dirname(fileURLToPath(import.meta.url));
// Like the apps: a `.env` in the working directory fills what the environment leaves unset.
if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is not set: export it (see .env.example) before running migrations');
}

export default new DataSource({
  ...databaseOptions({ url, poolMax: 2, statementTimeoutMs: 0, applicationName: 'ficus-migrations' }),
  entities: [
    join(here, '../apps/api/src/modules/**/*.entity.{ts,js}'),
    join(here, '../libs/platform/src/**/*.entity.{ts,js}'),
  ],
  migrations: [join(here, '[0-9]*-*.{ts,js}')],
});
