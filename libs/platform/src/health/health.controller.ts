import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { DomainError } from '../errors/domain-error.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { HealthIndicators } from './health-indicators.js';
import { Public } from '../auth/auth.decorators.js';

/** 503 from a readiness check: why, and the state of each dependency. */
export class NotReadyError extends DomainError {
  constructor(detail: string, checks: unknown) {
    super('HEALTH.NOT_READY', 'unavailable', detail, { checks });
  }
}

@ApiTags('health')
@SkipThrottle()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database, Redis (when configured) and the search engine answer' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { database: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down, or the instance is shutting down' })
  async ready() {
    if (this.shutdown.draining) throw new NotReadyError('The instance is shutting down', {});
    const checks: HealthIndicatorFunction[] = [() => this.indicators.database(), () => this.indicators.search()];
    const redis = this.indicators.redisCheck();
    if (redis) checks.push(() => redis);
    try {
      const result = await this.health.check(checks);
      return { status: 'ok', checks: result.details };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const details = (error.getResponse() as { details?: unknown }).details;
        throw new NotReadyError('A dependency is not answering', details);
      }
      throw error;
    }
  }
}
