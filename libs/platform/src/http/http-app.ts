import { type DynamicModule, RequestMethod, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env.schema.js';
import { ProblemFilter } from '../errors/problem.filter.js';
import { createValidationPipe } from '../errors/validation.js';
import { ROOT_LOGGER } from '../logging/logging.module.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { type OpenApiInfo, setupOpenApi } from '../openapi/openapi.js';
import { requestIdFor } from './request-id.js';
import { installRequestHooks } from './request-hooks.js';
import { securityHeaders } from './security-headers.js';

export const API_PREFIX = 'api/v1';
/** Routes that live outside /api/v1. */
const UNPREFIXED = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
];

export interface HttpAppOptions {
  env: Env;
  openApi?: OpenApiInfo;
  /** `null`: no /api/v1 prefix (the proxy forwards paths as they are). */
  prefix?: string | null;
  /** Helmet's headers; off for the proxy, whose legacy pages bring their own. */
  securityHeaders?: boolean;
  /** Body parsers: JSON only by default, so other media types answer 415. */
  jsonOnly?: boolean;
}

/**
 * Creates a Nest app on Fastify with the house rules: request ids, problem+json errors, strict
 * validation, body limit, helmet, CORS, metrics per route, OpenAPI. The caller listens.
 */
export async function createHttpApp(root: Type | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const { env } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY,
    genReqId: requestIdFor,
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();

  const config = app.get(AppConfig);
  const security = options.securityHeaders !== false ? securityHeaders() : null;
  installRequestHooks(fastify, app.get(ROOT_LOGGER), app.get(MetricsRegistry), security);
  if (options.jsonOnly !== false) fastify.removeContentTypeParser('text/plain');
  const origins = config.corsOrigins;
  if (origins !== false) {
    app.enableCors({
      origin: origins,
      credentials: true,
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'ETag', 'Idempotent-Replayed', 'Location'],
    });
  }

  if (options.prefix !== null) app.setGlobalPrefix(options.prefix ?? API_PREFIX, { exclude: UNPREFIXED });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  if (options.openApi && env.OPENAPI_ENABLED) setupOpenApi(app, options.openApi);
  return app;
}
