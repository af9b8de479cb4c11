import { type EnvRequirements, InvalidEnvironmentError, validateEnv } from './env.schema.js';

const DB = 'postgres://postgres@127.0.0.1:5432/ficus';

function problemsOf(raw: Record<string, unknown>, options?: EnvRequirements): string[] {
  try {
    validateEnv(raw, options);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateEnv', () => {
  it('fills documented defaults and converts numbers and booleans', () => {
    const env = validateEnv({ DATABASE_URL: DB, PORT: '4000', TRUST_PROXY: 'true' });
    expect(env).toMatchObject({
      PORT: 4000,
      PROXY_PORT: 8080,
      TRUST_PROXY: true,
      SEARCH_ENGINE: 'postgres',
      REDIS_KEY_PREFIX: 'ficus:',
      BODY_LIMIT_BYTES: 1048576,
    });
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('keeps a fixed-size database pool by default, and refuses a minimum above the maximum', () => {
    expect(validateEnv({ DATABASE_URL: DB })).toMatchObject({ DATABASE_POOL_MAX: 10, DATABASE_POOL_MIN: 10, DATABASE_POOL_IDLE_TIMEOUT_MS: 10000 });
    expect(validateEnv({ DATABASE_URL: DB, DATABASE_POOL_MAX: '4' })).toMatchObject({ DATABASE_POOL_MAX: 4, DATABASE_POOL_MIN: 4 });
    expect(validateEnv({ DATABASE_URL: DB, DATABASE_POOL_MIN: '0' })).toMatchObject({ DATABASE_POOL_MAX: 10, DATABASE_POOL_MIN: 0 });
    expect(problemsOf({ DATABASE_URL: DB, DATABASE_POOL_MAX: '4', DATABASE_POOL_MIN: '5' })).toEqual([expect.stringMatching(/^DATABASE_POOL_MIN: /)]);
    // The outbox relay's barrier needs a second connection while its transaction holds one.
    expect(problemsOf({ DATABASE_URL: DB, DATABASE_POOL_MAX: '1' })).toEqual([expect.stringMatching(/^DATABASE_POOL_MAX: .*2/)]);
  });

  it('names a missing DATABASE_URL', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
  });

  it('does not require DATABASE_URL for apps that own no data', () => {
    expect(problemsOf({}, { requireDatabase: false })).toEqual([]);
  });

  it('names the missing signing key of the app that issues tokens', () => {
    expect(problemsOf({ DATABASE_URL: DB }, { requireSigningKey: true })).toEqual([expect.stringMatching(/^JWT_SIGNING_KEY_FILE: is required/)]);
    expect(problemsOf({ DATABASE_URL: DB, JWT_SIGNING_KEY_FILE: '/keys/k.pem' }, { requireSigningKey: true })).toEqual([]);
  });

  it('reads a one-line PEM with \\n escapes and comma-separated key files', () => {
    const env = validateEnv({ DATABASE_URL: DB, JWT_SIGNING_KEY: 'a\\nb', JWT_VERIFY_KEY_FILES: 'old.pem, older.pem' });
    expect(env.JWT_SIGNING_KEY).toBe('a\nb');
    expect(env.JWT_VERIFY_KEY_FILES).toEqual(['old.pem', 'older.pem']);
  });

  it('names every invalid variable at once', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://x', PORT: 'eighty', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
  });

  it('requires ELASTICSEARCH_URL only when the elasticsearch engine is chosen', () => {
    expect(problemsOf({ DATABASE_URL: DB, SEARCH_ENGINE: 'elasticsearch' })).toEqual([
      expect.stringMatching(/^ELASTICSEARCH_URL: is required/),
    ]);
    expect(problemsOf({ DATABASE_URL: DB, SEARCH_ENGINE: 'elasticsearch', ELASTICSEARCH_URL: 'http://es:9200' })).toEqual([]);
  });

  it('requires the Stripe keys only when PAYMENTS_PROVIDER is stripe, and refuses malformed ones', () => {
    expect(problemsOf({ DATABASE_URL: DB })).toEqual([]);
    expect(problemsOf({ DATABASE_URL: DB, PAYMENTS_PROVIDER: 'stripe' }).map((p) => p.split(':')[0]).sort()).toEqual(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
    expect(problemsOf({ DATABASE_URL: DB, PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' })).toEqual([]);
    expect(problemsOf({ DATABASE_URL: DB, PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' })).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY/)]);
    expect(problemsOf({ DATABASE_URL: DB, PAYMENTS_PROVIDER: 'paypal' })).toEqual([expect.stringMatching(/^PAYMENTS_PROVIDER/)]);
  });

  it('treats an empty REDIS_URL as unset', () => {
    expect(validateEnv({ DATABASE_URL: DB, REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
