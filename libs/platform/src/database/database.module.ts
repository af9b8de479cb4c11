import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { databaseOptions } from './database-options.js';
import { QueryCounterLogger } from './query-counter.logger.js';
import { SystemController } from './system.controller.js';

/** PostgreSQL through TypeORM; entities register per context with `TypeOrmModule.forFeature`. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, MetricsRegistry],
      useFactory: (config: AppConfig, metrics: MetricsRegistry) => ({
        ...databaseOptions({
          url: config.get('DATABASE_URL'),
          poolMax: config.get('DATABASE_POOL_MAX'),
          poolMin: config.get('DATABASE_POOL_MIN'),
          poolIdleTimeoutMs: config.get('DATABASE_POOL_IDLE_TIMEOUT_MS'),
          connectTimeoutMs: config.get('DATABASE_CONNECT_TIMEOUT_MS'),
          statementTimeoutMs: config.get('DATABASE_STATEMENT_TIMEOUT_MS'),
          preparedStatements: config.get('DATABASE_PREPARED_STATEMENTS'),
        }),
        logger: new QueryCounterLogger(metrics.dbQueries),
        maxQueryExecutionTime: 1000,
        autoLoadEntities: true,
        retryAttempts: 10,
        retryDelay: 1000,
      }),
    }),
  ],
  controllers: [SystemController],
})
export class DatabaseModule {}
