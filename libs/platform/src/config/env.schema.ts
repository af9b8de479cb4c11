import Joi from 'joi';

/** Every environment variable either app reads. The README's configuration table mirrors this. */
export interface Env {
  NODE_ENV: 'development' | 'test' | 'production';
  HOST: string;
  PORT: number;
  PROXY_PORT: number;
  DATABASE_URL: string;
  DATABASE_POOL_MAX: number;
  DATABASE_POOL_MIN: number;
  DATABASE_POOL_IDLE_TIMEOUT_MS: number;
  DATABASE_CONNECT_TIMEOUT_MS: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  DATABASE_PREPARED_STATEMENTS: boolean;
  REDIS_URL?: string;
  REDIS_KEY_PREFIX: string;
  CACHE_TTL_MS: number;
  CACHE_LOCAL_ENTRIES: number;
  IDEMPOTENCY_KEY_TTL_HOURS: number;
  IDEMPOTENCY_LEASE_MS: number;
  HTTP_CACHE_MAX_AGE_S: number;
  HTTP_CACHE_SWR_S: number;
  SEARCH_ENGINE: 'postgres' | 'elasticsearch';
  SEARCH_CACHE: boolean;
  SEARCH_COUNT_LIMIT: number;
  ELASTICSEARCH_URL?: string;
  INVENTORY_RESERVATION_TTL_MS: number;
  INVENTORY_SWEEP_EVERY_MS: number;
  PRICES_INCLUDE_TAX: boolean;
  DEFAULT_CURRENCY: string;
  CART_MAX_LINE_QUANTITY: number;
  SHIPPING_FLAT_RATES: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  BODY_LIMIT_BYTES: number;
  CATALOG_IMPORT_MAX_BYTES: number;
  IDLE_TIMEOUT_MS: number;
  CORS_ORIGINS: string;
  THROTTLE_TTL_MS: number;
  THROTTLE_LIMIT: number;
  TRUST_PROXY: boolean;
  OUTBOX_POLL_INTERVAL_MS: number;
  OUTBOX_TRANSPORT: 'bullmq' | 'in-process';
  SHUTDOWN_DELAY_MS: number;
  SHUTDOWN_TIMEOUT_MS: number;
  OPENAPI_ENABLED: boolean;
  API_URL: string;
  LEGACY_URL: string;
  PROXY_ROUTES_FILE?: string;
  PROXY_EXPOSE_ROUTES: boolean;
  PROXY_AUDIT_LOG_FILE?: string;
  PROXY_SHADOW_MAX_CONCURRENCY: number;
  PROXY_SHADOW_MAX_BODY_BYTES: number;
  PROXY_SHADOW_TIMEOUT_MS: number;
  PROXY_SHADOW_SAMPLES: number;
  PROXY_PROMOTION_WINDOW: number;
  PROXY_PROMOTION_MIN_MATCH_RATE: number;
  PROXY_BREAKER_ERROR_RATE: number;
  PROXY_BREAKER_P99_MS: number;
  PROXY_BREAKER_WINDOW_MS: number;
  PROXY_BREAKER_MIN_REQUESTS: number;
  PROXY_BREAKER_OPEN_MS: number;
  PROXY_BREAKER_PROBES: number;
  PROXY_EXCHANGE_SECRET?: string;
  PROXY_EXCHANGE_TOKEN_TTL_S: number;
  LEGACY_BRIDGE_KEY?: string;
  PROXY_BRIDGE_CACHE_S: number;
  PROXY_OVERRIDE: 'on' | 'off';
  JWT_SIGNING_KEY?: string;
  JWT_SIGNING_KEY_FILE?: string;
  JWT_VERIFY_KEY_FILES: string[];
  JWT_JWKS_URL?: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_ACCESS_TTL_S: number;
  REFRESH_TOKEN_TTL_DAYS: number;
  PASSWORD_RESET_TTL_MIN: number;
  LOGIN_LIMIT_PER_ACCOUNT: number;
  LOGIN_LIMIT_PER_IP: number;
  LOGIN_LIMIT_WINDOW_MS: number;
  PAYMENTS_PROVIDER: 'simulator' | 'stripe';
  GATEWAY_SIMULATOR_URL: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  PAYMENTS_SIMULATOR_WEBHOOK_SECRET: string;
  PAYMENTS_CAPTURE_MODE: 'immediate' | 'on_fulfilment';
  PAYMENTS_GATEWAY_TIMEOUT_MS: number;
  PAYMENTS_RETRY_ATTEMPTS: number;
  PAYMENTS_RETRY_BUDGET_MS: number;
  PAYMENTS_BREAKER_THRESHOLD: number;
  PAYMENTS_BREAKER_WINDOW_MS: number;
  PAYMENTS_BREAKER_MIN_RPS: number;
  PAYMENTS_BREAKER_HALF_OPEN_MS: number;
  PAYMENTS_GATEWAY_CONCURRENCY: number;
  PAYMENTS_RECONCILE_EVERY_MS: number;
  PAYMENTS_RECONCILE_AFTER_MS: number;
}

const postgresUrl = Joi.string().uri({ scheme: ['postgres', 'postgresql'] });

export const envSchema = Joi.object<Env, true>({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  HOST: Joi.string().hostname().default('0.0.0.0'),
  PORT: Joi.number().port().default(3000),
  PROXY_PORT: Joi.number().port().default(8080),
  DATABASE_URL: postgresUrl.when('$requireDatabase', { is: true, then: Joi.required(), otherwise: Joi.optional() }),
  // At least 2: the outbox relay holds one connection in its transaction while its WAL barrier runs on another.
  DATABASE_POOL_MAX: Joi.number().integer().min(2).max(200).default(10),
  // A fixed-size pool by default: a burst after a quiet spell finds its connections (and their
  // prepared statements) open instead of waiting for PostgreSQL to start new backends.
  DATABASE_POOL_MIN: Joi.number().integer().min(0).max(Joi.ref('DATABASE_POOL_MAX')).default(Joi.ref('DATABASE_POOL_MAX')),
  DATABASE_POOL_IDLE_TIMEOUT_MS: Joi.number().integer().min(100).default(10000),
  DATABASE_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).default(2000),
  DATABASE_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(0).default(10000),
  DATABASE_PREPARED_STATEMENTS: Joi.boolean().default(true),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).empty(''),
  REDIS_KEY_PREFIX: Joi.string().pattern(/^[\w.:-]+$/).default('ficus:'),
  CACHE_TTL_MS: Joi.number().integer().min(0).default(600000),
  CACHE_LOCAL_ENTRIES: Joi.number().integer().min(0).default(5000),
  IDEMPOTENCY_KEY_TTL_HOURS: Joi.number().integer().min(24).default(24),
  IDEMPOTENCY_LEASE_MS: Joi.number().integer().min(1000).default(60000),
  HTTP_CACHE_MAX_AGE_S: Joi.number().integer().min(0).default(60),
  HTTP_CACHE_SWR_S: Joi.number().integer().min(0).default(300),
  SEARCH_ENGINE: Joi.string().valid('postgres', 'elasticsearch').default('postgres'),
  SEARCH_CACHE: Joi.boolean().truthy('on').falsy('off').default(true),
  SEARCH_COUNT_LIMIT: Joi.number().integer().min(1).max(1000000).default(1000),
  ELASTICSEARCH_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty('')
    .when('SEARCH_ENGINE', { is: 'elasticsearch', then: Joi.required() }),
  INVENTORY_RESERVATION_TTL_MS: Joi.number().integer().min(1000).max(86400000).default(900000),
  INVENTORY_SWEEP_EVERY_MS: Joi.number().integer().min(1000).default(60000),
  PRICES_INCLUDE_TAX: Joi.boolean().default(false),
  DEFAULT_CURRENCY: Joi.string().pattern(/^[A-Z]{3}$/).default('EUR'),
  CART_MAX_LINE_QUANTITY: Joi.number().integer().min(1).max(10000).default(20),
  // method:amount pairs (minor units, in the cart's currency), the first the default: until a shipping context exists.
  SHIPPING_FLAT_RATES: Joi.string().pattern(/^[a-z0-9_-]{1,32}:\d{1,9}(,[a-z0-9_-]{1,32}:\d{1,9})*$/).default('standard:499,express:1299'),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).default(1048576),
  CATALOG_IMPORT_MAX_BYTES: Joi.number().integer().min(1024).default(20971520),
  IDLE_TIMEOUT_MS: Joi.number().integer().min(0).default(30000),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  THROTTLE_TTL_MS: Joi.number().integer().min(1).default(60000),
  THROTTLE_LIMIT: Joi.number().integer().min(1).default(600),
  TRUST_PROXY: Joi.boolean().default(false),
  OUTBOX_POLL_INTERVAL_MS: Joi.number().integer().min(10).default(250),
  OUTBOX_TRANSPORT: Joi.string().valid('bullmq', 'in-process').default('bullmq'),
  SHUTDOWN_DELAY_MS: Joi.number().integer().min(0).default(0),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10000),
  OPENAPI_ENABLED: Joi.boolean().default(true),
  API_URL: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:3000'),
  LEGACY_URL: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:8000'),
  PROXY_ROUTES_FILE: Joi.string().empty(''),
  PROXY_EXPOSE_ROUTES: Joi.boolean().default(false),
  PROXY_AUDIT_LOG_FILE: Joi.string().empty(''),
  PROXY_SHADOW_MAX_CONCURRENCY: Joi.number().integer().min(1).max(1000).default(16),
  PROXY_SHADOW_MAX_BODY_BYTES: Joi.number().integer().min(1024).max(67108864).default(262144),
  PROXY_SHADOW_TIMEOUT_MS: Joi.number().integer().min(50).max(600000).default(5000),
  PROXY_SHADOW_SAMPLES: Joi.number().integer().min(0).max(1000).default(10),
  PROXY_PROMOTION_WINDOW: Joi.number().integer().min(1).max(100000).default(200),
  PROXY_PROMOTION_MIN_MATCH_RATE: Joi.number().min(0).max(1).default(0.99),
  PROXY_BREAKER_ERROR_RATE: Joi.number().min(0.01).max(1).default(0.5),
  PROXY_BREAKER_P99_MS: Joi.number().integer().min(0).max(600000).default(0),
  PROXY_BREAKER_WINDOW_MS: Joi.number().integer().min(1000).max(3600000).default(30000),
  PROXY_BREAKER_MIN_REQUESTS: Joi.number().integer().min(1).max(100000).default(20),
  PROXY_BREAKER_OPEN_MS: Joi.number().integer().min(100).max(3600000).default(30000),
  PROXY_BREAKER_PROBES: Joi.number().integer().min(1).max(1000).default(3),
  // Auth bridge: shared by the proxy and the API (exchange) and by the proxy and the PHP shop (bridge key).
  PROXY_EXCHANGE_SECRET: Joi.string().min(16).empty(''),
  PROXY_EXCHANGE_TOKEN_TTL_S: Joi.number().integer().min(30).max(3600).default(300),
  LEGACY_BRIDGE_KEY: Joi.string().min(16).empty(''),
  PROXY_BRIDGE_CACHE_S: Joi.number().integer().min(0).max(3600).default(60),
  PROXY_OVERRIDE: Joi.string().valid('on', 'off').default(Joi.ref('NODE_ENV', { adjust: (env: string) => (env === 'production' ? 'off' : 'on') })),
  // Platforms that inject secrets as one-line variables write PEM newlines as "\n".
  JWT_SIGNING_KEY: Joi.string().empty('').replace(/\\n/g, '\n'),
  JWT_SIGNING_KEY_FILE: Joi.string().empty(''),
  JWT_VERIFY_KEY_FILES: Joi.array().items(Joi.string()).single().default([]),
  JWT_JWKS_URL: Joi.string().uri({ scheme: ['http', 'https'] }).empty(''),
  JWT_ISSUER: Joi.string().default('ficus'),
  JWT_AUDIENCE: Joi.string().default('ficus-api'),
  JWT_ACCESS_TTL_S: Joi.number().integer().min(30).max(86400).default(900),
  REFRESH_TOKEN_TTL_DAYS: Joi.number().integer().min(1).max(365).default(30),
  PASSWORD_RESET_TTL_MIN: Joi.number().integer().min(5).max(1440).default(30),
  LOGIN_LIMIT_PER_ACCOUNT: Joi.number().integer().min(1).default(5),
  LOGIN_LIMIT_PER_IP: Joi.number().integer().min(1).default(20),
  LOGIN_LIMIT_WINDOW_MS: Joi.number().integer().min(1000).default(60000),
  PAYMENTS_PROVIDER: Joi.string().valid('simulator', 'stripe').default('simulator'),
  GATEWAY_SIMULATOR_URL: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:4010'),
  STRIPE_SECRET_KEY: Joi.string().pattern(/^(sk|rk)_(test|live)_\w+$/).empty('').when('PAYMENTS_PROVIDER', { is: 'stripe', then: Joi.required() }),
  STRIPE_WEBHOOK_SECRET: Joi.string().pattern(/^whsec_\w+$/).empty('').when('PAYMENTS_PROVIDER', { is: 'stripe', then: Joi.required() }),
  PAYMENTS_SIMULATOR_WEBHOOK_SECRET: Joi.string().min(8).default('whsec_ficus_simulator_dev'),
  PAYMENTS_CAPTURE_MODE: Joi.string().valid('immediate', 'on_fulfilment').default('immediate'),
  PAYMENTS_GATEWAY_TIMEOUT_MS: Joi.number().integer().min(50).default(5000),
  PAYMENTS_RETRY_ATTEMPTS: Joi.number().integer().min(1).max(10).default(3),
  PAYMENTS_RETRY_BUDGET_MS: Joi.number().integer().min(100).default(15000),
  PAYMENTS_BREAKER_THRESHOLD: Joi.number().greater(0).less(1).default(0.5),
  PAYMENTS_BREAKER_WINDOW_MS: Joi.number().integer().min(1000).default(10000),
  PAYMENTS_BREAKER_MIN_RPS: Joi.number().greater(0).default(1),
  PAYMENTS_BREAKER_HALF_OPEN_MS: Joi.number().integer().min(100).default(10000),
  PAYMENTS_GATEWAY_CONCURRENCY: Joi.number().integer().min(1).default(32),
  PAYMENTS_RECONCILE_EVERY_MS: Joi.number().integer().min(1000).default(30000),
  PAYMENTS_RECONCILE_AFTER_MS: Joi.number().integer().min(0).default(30000),
});

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

export interface EnvRequirements {
  /** Apps that own data (the API) need DATABASE_URL. */
  requireDatabase?: boolean;
  /** The app that issues access tokens (the API) needs JWT_SIGNING_KEY or JWT_SIGNING_KEY_FILE. */
  requireSigningKey?: boolean;
}

const COMMA_LISTS = ['JWT_VERIFY_KEY_FILES'] as const;

/** Validates raw variables; unknown variables are ignored (the process environment holds many). */
export function validateEnv(raw: Record<string, unknown>, { requireDatabase = true, requireSigningKey = false }: EnvRequirements = {}): Env {
  const lists = Object.fromEntries(
    COMMA_LISTS.filter((name) => typeof raw[name] === 'string').map((name) => [
      name,
      String(raw[name]).split(',').map((item) => item.trim()).filter(Boolean),
    ]),
  );
  const { value, error } = envSchema.validate({ ...raw, ...lists }, {
    abortEarly: false,
    allowUnknown: true,
    convert: true,
    context: { requireDatabase },
  });
  if (error) {
    throw new InvalidEnvironmentError(error.details.map((d) => `${d.path.join('.')}: ${d.message.replace(/^"[^"]+" /, '')}`));
  }
  if (requireSigningKey && !value.JWT_SIGNING_KEY && !value.JWT_SIGNING_KEY_FILE) {
    throw new InvalidEnvironmentError([
      'JWT_SIGNING_KEY_FILE: is required (or JWT_SIGNING_KEY): the PEM private key that signs access tokens; `npm run auth:keygen` makes one',
    ]);
  }
  return value;
}
