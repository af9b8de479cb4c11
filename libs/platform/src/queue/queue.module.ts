import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { QueueShutdown } from './queue-shutdown.js';

/** The schema that holds BullMQ's own tables when it runs on PostgreSQL. */
export const QUEUE_PG_SCHEMA = 'bullmq';

/**
 * BullMQ connection for every queue: Redis when `REDIS_URL` is set (the production path), otherwise
 * BullMQ's PostgreSQL backend on the app database, so jobs still run with Postgres alone.
 */
export function queueConnection(config: AppConfig) {
  const redisUrl = config.get('REDIS_URL');
  const prefix = `${config.get('REDIS_KEY_PREFIX')}bull`;
  if (redisUrl) {
    setDefaultBackendFactory(undefined);
    return { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix };
  }
  // Process-wide: every Queue/Worker constructed after this talks to PostgreSQL.
  setDefaultBackendFactory(createPostgresBackend);
  return {
    connection: { connectionString: config.get('DATABASE_URL'), schema: QUEUE_PG_SCHEMA, migrate: true, max: 4 },
    prefix,
  };
}

@Module({
  imports: [DiscoveryModule, BullModule.forRootAsync({ inject: [AppConfig], useFactory: queueConnection })],
  providers: [QueueShutdown],
})
export class PlatformQueueModule {}
