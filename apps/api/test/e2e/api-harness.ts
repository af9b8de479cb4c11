import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '#platform';
import { createTestDatabase, type LogCapture, listen, type TestDatabase, testEnv } from '#testing';
import { createApiApp } from '../../src/api-app.js';
import { FixturesModule } from '../fixtures/fixtures.module.js';

export interface RunningApi {
  app: NestFastifyApplication;
  url: string;
  env: Env;
  close(): Promise<void>;
}

/** Boots the API (with the test fixtures) on a free port against the given or a fresh database. */
export async function startApi(
  options: { db?: TestDatabase; env?: Record<string, string | undefined>; logs?: LogCapture } = {},
): Promise<RunningApi & { db: TestDatabase }> {
  const db = options.db ?? (await createTestDatabase());
  const env = testEnv({ DATABASE_URL: db.url, ...options.env });
  const app = await createApiApp({ env, logStream: options.logs, extraImports: [FixturesModule] });
  const running = await listen(app);
  return {
    app,
    url: running.url,
    env,
    db,
    close: async () => {
      await running.close();
      if (!options.db) await db.drop();
    },
  };
}
