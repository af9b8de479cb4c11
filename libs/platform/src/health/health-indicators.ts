import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { REDIS, type OptionalRedis } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1500;

@Injectable()
export class HealthIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: OptionalRedis,
  ) {}

  database() {
    return this.typeorm.pingCheck('database', { timeout: CHECK_TIMEOUT_MS });
  }

  redisCheck() {
    const redis = this.redis;
    if (!redis) return null;
    return this.indicators
      .check('redis')
      .attempt(async () => {
        if ((await redis.ping()) !== 'PONG') throw new Error('unexpected PING reply');
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  /** The configured search engine: PostgreSQL full text needs pg_trgm; Elasticsearch must not be red. */
  search() {
    const engine = this.config.get('SEARCH_ENGINE');
    return this.indicators
      .check('search')
      .attempt(async ({ signal }) => {
        if (engine === 'postgres') {
          const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`);
          if (rows.length === 0) throw new Error('pg_trgm is not installed: run npm run db:migrate');
          return { engine };
        }
        const response = await fetch(`${this.config.get('ELASTICSEARCH_URL')}/_cluster/health`, { signal });
        const body = (await response.json()) as { status?: string };
        if (!response.ok || body.status === 'red') throw new Error(`cluster status ${body.status ?? response.status}`);
        return { engine, cluster: body.status };
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}
