import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Counter } from 'prom-client';

/**
 * TypeORM's logger hook, used to count every statement sent to PostgreSQL (`db_queries_total`): it
 * shows the database load per route, and lets tests prove a request made no query at all.
 */
export class QueryCounterLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  constructor(private readonly queries: Counter) {}

  logQuery(): void {
    this.queries.inc();
  }

  logQueryError(): void {
    // Failed queries surface as errors where they are awaited.
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 200)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
