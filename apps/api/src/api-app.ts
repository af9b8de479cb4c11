import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '#platform';
import { type ApiOptions, AppModule } from './app.module.js';

export const API_OPENAPI = {
  title: 'Ficus API',
  description:
    'Commerce API of Ficus. Every route is under /api/v1; errors are RFC 9457 application/problem+json (schema Problem).',
  version: '1',
};

/** The API app, configured but not listening: `main.ts` and the e2e tests both start from here. */
export function createApiApp(options: ApiOptions): Promise<NestFastifyApplication> {
  return createHttpApp(AppModule.register(options), { env: options.env, openApi: API_OPENAPI });
}
