import type { INestApplicationContext } from '@nestjs/common';
import { type Env, loadEnv } from '#platform';

/**
 * Runs `work` inside the API's modules (no HTTP), closed afterwards. Nest and the modules load only
 * here, so a command's usage errors answer before seconds of imports.
 */
export async function withApiContext<T>(work: (app: INestApplicationContext, env: Env) => Promise<T>): Promise<T> {
  const [{ NestFactory }, { AppModule }] = await Promise.all([import('@nestjs/core'), import('../app.module.js')]);
  const env = loadEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, { requireDatabase: true });
  const app = await NestFactory.createApplicationContext(AppModule.register({ env }), { logger: ['error', 'warn'] });
  try {
    return await work(app, env);
  } finally {
    await app.close();
  }
}

/** The process exits with `main`'s code; a failure prints one line naming the command. */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
