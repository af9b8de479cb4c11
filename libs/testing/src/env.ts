import { type Env, validateEnv } from '#platform';

export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A validated environment for an app under test: this run's Redis prefix, quiet logs, generous limits. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Env {
  return validateEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: process.env.FICUS_TEST_REDIS_PREFIX ?? 'ficus-test:',
    THROTTLE_LIMIT: '100000',
    ...overrides,
  });
}
