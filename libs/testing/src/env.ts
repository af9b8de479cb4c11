import { generateKeyPairSync } from 'node:crypto';
import { type Env, validateEnv } from '#platform';

let signingKey: string | undefined;

/** One RSA key per test process: generating one costs ~100 ms. */
export function testSigningKey(): string {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return signingKey;
}

export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A validated environment for an app under test: quiet logs, generous limits, and a Redis prefix of
 * its own database's, so that test files running side by side never read each other's cache
 * (instances on one database share it, as in production).
 */
export function testEnv(overrides: Record<string, string | undefined> = {}): Env {
  const database = overrides.DATABASE_URL ? new URL(overrides.DATABASE_URL).pathname.slice(1) : '';
  return validateEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX ?? 'ficus-test:'}${database ? `${database}:` : ''}`,
    THROTTLE_LIMIT: '100000',
    LOGIN_LIMIT_PER_IP: '100000',
    JWT_SIGNING_KEY: testSigningKey(),
    ...overrides,
  });
}
