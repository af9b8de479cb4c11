import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Env, EnvRequirements } from '../config/env.schema.js';
import { InvalidEnvironmentError } from '../config/env.schema.js';
import { loadEnv } from '../config/load-env.js';
import { exitOnSignals } from './graceful-shutdown.js';

export interface RunAppOptions {
  name: string;
  create(env: Env): Promise<INestApplication>;
  port(env: Env): number;
  requires: EnvRequirements;
  /** What to print once listening, after the URL. */
  describe?(env: Env): string;
}

/**
 * The `main.ts` of every Ficus app: validated environment, signal handling, listen, one line that
 * says where it listens and how long boot took; a bad environment exits 1 naming each variable.
 */
/** Emitted on `process` once the app listens. */
export const BOOTED_EVENT = 'ficus:booted';

export function runApp(options: RunAppOptions): void {
  const start = async () => {
    const env = loadEnv({}, options.requires);
    const app = await options.create(env);
    const logger = app.get(Logger);
    exitOnSignals(app, { delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, logger);
    await app.listen(options.port(env), env.HOST);
    // performance.now() counts from process start: boot to listening, imports included.
    const extra = options.describe ? ` ${options.describe(env)}` : '';
    logger.log(`${options.name} listening on ${await app.getUrl()}${extra} in ${Math.round(performance.now())} ms`, 'Bootstrap');
    // For the API bundle's loader (api-bundle-loader.ts): the boot is done, write the code cache now
    // rather than in the middle of serving.
    (process as NodeJS.EventEmitter).emit(BOOTED_EVENT);
  };
  start().catch((error: unknown) => {
    if (error instanceof InvalidEnvironmentError) {
      process.stderr.write(`${error.message}\nSee README.md (Configuration) and .env.example.\n`);
    } else {
      process.stderr.write(`${options.name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  });
}
