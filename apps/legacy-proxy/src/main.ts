import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { exitOnSignals, InvalidEnvironmentError, loadEnv } from '#platform';
import { createProxyApp } from './proxy-app.js';

async function main(): Promise<void> {
  const env = loadEnv({}, { requireDatabase: false });
  const app = await createProxyApp({ env });
  const logger = app.get(Logger);
  exitOnSignals(app, { delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, logger);
  await app.listen(env.PROXY_PORT, env.HOST);
  logger.log(
    `Ficus legacy proxy listening on ${await app.getUrl()}: legacy ${env.LEGACY_URL}, api ${env.API_URL} (ready in ${Math.round(performance.now())} ms)`,
    'Bootstrap',
  );
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    process.stderr.write(`${error.message}\nSee README.md (Configuration) and .env.example.\n`);
  } else {
    process.stderr.write(`Ficus proxy failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
