import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createPostgresBackend, runMigrations, setDefaultBackendFactory } from 'bullmq';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { QueueShutdown } from './queue-shutdown.js';

/** The schema that holds BullMQ's own tables when it runs on PostgreSQL. */
export const QUEUE_PG_SCHEMA = 'bullmq';

/**
 * BullMQ connection for every queue: Redis when `REDIS_URL` is set (the production path), otherwise
 * BullMQ's PostgreSQL backend on the app database, so jobs still run with Postgres alone.
 */
export async function queueConnection(config: AppConfig) {
  const redisUrl = config.get('REDIS_URL');
  const prefix = `${config.get('REDIS_KEY_PREFIX')}bull`;
  if (redisUrl) {
    setDefaultBackendFactory(undefined);
    return { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix };
  }
  const connectionString = config.get('DATABASE_URL');
  await migrateQueueSchema(connectionString);
  // Process-wide: every Queue/Worker constructed after this talks to PostgreSQL.
  setDefaultBackendFactory(createPostgresBackend);
  return { connection: { connectionString, schema: QUEUE_PG_SCHEMA, migrate: false, max: 4 }, prefix };
}

/**
 * BullMQ's own schema brought up to date once per start. With `migrate: true` on the connection
 * every queue and worker (a dozen) ran the migration in turn, each a transaction of a dozen
 * statements behind one advisory lock: about 0.4 s of every boot.
 */
async function migrateQueueSchema(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString, application_name: 'ficus-queue-migrations' });
  await client.connect();
  try {
    await runMigrations(client, QUEUE_PG_SCHEMA);
  } finally {
    await client.end();
  }
}

@Module({
  imports: [DiscoveryModule, BullModule.forRootAsync({ inject: [AppConfig], useFactory: queueConnection })],
  providers: [QueueShutdown],
})
export class PlatformQueueModule {}
