import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { exitOnSignals, InvalidEnvironmentError, loadEnv } from '#platform';
import { createApiApp } from './api-app.js';

async function main(): Promise<void> {
  const env = loadEnv();
  const app = await createApiApp({ env });
  const logger = app.get(Logger);
  exitOnSignals(app, { delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, logger);
  await app.listen(env.PORT, env.HOST);
  // performance.now() counts from process start, so this is boot to ready including imports.
  const readyMs = Math.round(performance.now());
  logger.log(`Ficus API listening on ${await app.getUrl()} (docs at /docs) in ${readyMs} ms`, 'Bootstrap');
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    process.stderr.write(`${error.message}\nSee README.md (Configuration) and .env.example.\n`);
  } else {
    process.stderr.write(`Ficus API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
