import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '#platform';
import { type ApiOptions, AppModule } from './app.module.js';

export const API_OPENAPI = {
  title: 'Ficus API',
  description:
    'Commerce API of Ficus. Every route is under /api/v1; errors are RFC 9457 application/problem+json (schema Problem). ' +
    'Every POST takes an Idempotency-Key header (required where the route says so): a retry with the same key and body gets the first answer again, ' +
    'byte for byte, with Idempotent-Replayed: true; a different body is 422; while the first is still running, 409 with Retry-After. ' +
    'Validation failures, 401/403 and 429 are not remembered; after a 5xx the key stays usable, so a retry finishes the work. Keys are kept 24 h.',
  version: '1',
  idempotencyKeys: true,
};

/** The API app, configured but not listening: `main.ts` and the e2e tests both start from here. */
export function createApiApp(options: ApiOptions): Promise<NestFastifyApplication> {
  return createHttpApp(AppModule.register(options), { env: options.env, openApi: API_OPENAPI });
}
