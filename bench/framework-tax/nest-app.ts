// Nest 12 on Fastify with one controller; FRAMEWORK_TAX_HOOKS=1 adds the platform's request hooks
// (security headers, X-Request-Id with its parsing, metrics and the log-level check) and nothing else.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { installRequestHooks } from '../../libs/platform/src/http/request-hooks.js';
import { requestIdFor } from '../../libs/platform/src/http/request-id.js';
import { securityHeaders } from '../../libs/platform/src/http/security-headers.js';
import { MetricsRegistry } from '../../libs/platform/src/metrics/metrics.registry.js';

@Controller('health')
class LiveController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [LiveController] })
class LiveModule {}

const hooks = process.env.FRAMEWORK_TAX_HOOKS === '1';
const adapter = new FastifyAdapter(hooks ? { genReqId: requestIdFor } : {});
const app = await NestFactory.create<NestFastifyApplication>(LiveModule, adapter, { logger: false });
if (hooks) installRequestHooks(app.getHttpAdapter().getInstance(), pino({ level: 'warn' }), new MetricsRegistry(), securityHeaders());
await app.listen(Number(process.env.PORT), '127.0.0.1');
