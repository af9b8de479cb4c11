import { existsSync } from 'node:fs';
import { type Env, type EnvRequirements, validateEnv } from './env.schema.js';

/**
 * Reads `.env` from the working directory when present (real environment variables win; tests,
 * NODE_ENV=test, never read it), merges overrides, and validates the lot; an invalid variable
 * throws, naming it.
 */
export function loadEnv(overrides: Record<string, string | undefined> = {}, options: EnvRequirements = {}): Env {
  if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
  return validateEnv({ ...process.env, ...overrides }, options);
}
