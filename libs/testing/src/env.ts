import { generateKeyPairSync } from 'node:crypto';
import { type Env, validateEnv } from '#platform';

let signingKey: string | undefined;

/** One RSA key per test process: generating one costs ~100 ms. */
export function testSigningKey(): string {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return signingKey;
}

export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A validated environment for an app under test: this run's Redis prefix, quiet logs, generous limits. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Env {
  return validateEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: process.env.FICUS_TEST_REDIS_PREFIX ?? 'ficus-test:',
    THROTTLE_LIMIT: '100000',
    LOGIN_LIMIT_PER_IP: '100000',
    JWT_SIGNING_KEY: testSigningKey(),
    ...overrides,
  });
}
