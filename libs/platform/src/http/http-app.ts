import { type DynamicModule, HttpException, RequestMethod, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env.schema.js';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { ProblemFilter } from '../errors/problem.filter.js';
import { toProblem } from '../errors/problem-mapper.js';
import { createValidationPipe } from '../errors/validation.js';
import { ROOT_LOGGER } from '../logging/logging.module.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { type OpenApiInfo, setupOpenApi } from '../openapi/openapi.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { useJsonBodyParser } from './json-body.js';
import { installRequestHooks } from './request-hooks.js';
import { securityHeaders } from './security-headers.js';

export const API_PREFIX = 'api/v1';
/** Routes that live outside /api/v1. */
const UNPREFIXED = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
  { path: '.well-known/jwks.json', method: RequestMethod.GET },
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
    // A client that stops sending mid-request cannot hold a connection (or a shutdown) open. Node's
    // requestTimeout does not cover a body that stalls after its headers; an idle timeout does.
    connectionTimeout: env.IDLE_TIMEOUT_MS,
    // Errors Fastify raises before routing (a malformed URL, say) are problems too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { problem } = toProblem(new HttpException(error.message, error.statusCode ?? 400, { cause: error }), {
        instance: (request.url ?? '').split('?')[0] ?? '',
        requestId: String(request.id),
      });
      void reply.code(problem.status).header(REQUEST_ID_HEADER, request.id).type(PROBLEM_CONTENT_TYPE).send(problem);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();

  const config = app.get(AppConfig);
  const security = options.securityHeaders !== false ? securityHeaders() : null;
  installRequestHooks(fastify, app.get(ROOT_LOGGER), app.get(MetricsRegistry), security);
  if (options.jsonOnly !== false) fastify.removeContentTypeParser('text/plain');
  useJsonBodyParser(app, env.BODY_LIMIT_BYTES);
  const origins = config.corsOrigins;
  if (origins !== false) {
    app.enableCors({
      origin: origins,
      // Any origin with credentials would let every site act with a user's cookies.
      credentials: origins !== true,
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'ETag', 'Idempotent-Replayed', 'Location'],
    });
  }

  if (options.prefix !== null) app.setGlobalPrefix(options.prefix ?? API_PREFIX, { exclude: UNPREFIXED });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  if (options.openApi && env.OPENAPI_ENABLED) setupOpenApi(app, options.openApi);
  return app;
}
