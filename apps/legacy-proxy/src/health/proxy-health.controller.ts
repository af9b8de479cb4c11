import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { AppConfig, NotReadyError, Public, ShutdownState } from '#platform';

@ApiTags('health')
@SkipThrottle()
@Public()
@Controller('health')
export class ProxyHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness of the proxy process' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: both upstreams (legacy shop and new API) answer' })
  async ready() {
    if (this.shutdown.draining) throw new NotReadyError('The instance is shutting down', {});
    const upstream = (key: 'legacy' | 'api', url: string) => () =>
      this.indicators
        .check(key)
        .attempt(async ({ signal }) => {
          const response = await fetch(url, { signal, method: 'GET' });
          await response.body?.cancel();
          if (response.status >= 400) throw new Error(`answered ${response.status}`);
          return { url };
        })
        .withTimeout(1500);
    try {
      const result = await this.health.check([
        // The shop's own health check: it answers 503 when its database is down, where its home page might still render.
        upstream('legacy', `${this.config.get('LEGACY_URL').replace(/\/+$/, '')}/index.php?route=api/health`),
        upstream('api', `${this.config.get('API_URL')}/health/live`),
      ]);
      return { status: 'ok', checks: result.details };
    } catch (error) {
      const details = (error as { getResponse?: () => { details?: unknown } }).getResponse?.().details;
      throw new NotReadyError('An upstream is not answering', details ?? {});
    }
  }
}
