/**
 * `npm run gateway:simulator`: the payment gateway simulator as its own process.
 * GATEWAY_SIMULATOR_PORT (or PORT; default 4010), GATEWAY_SIMULATOR_HOST (default 127.0.0.1),
 * GATEWAY_SIMULATOR_SEED, GATEWAY_WEBHOOK_URL with GATEWAY_WEBHOOK_SECRET.
 */
import { buildGatewaySimulator } from './server.js';

function integerFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return value;
}

function webhookFromEnv(): { url: string; secret: string } | undefined {
  const url = process.env.GATEWAY_WEBHOOK_URL;
  if (!url) return undefined;
  const secret = process.env.GATEWAY_WEBHOOK_SECRET;
  if (!secret) throw new Error('GATEWAY_WEBHOOK_URL is set but GATEWAY_WEBHOOK_SECRET is not: webhooks are always signed');
  return { url, secret };
}

const port = integerFromEnv('GATEWAY_SIMULATOR_PORT', integerFromEnv('PORT', 4010, 65535), 65535);
const host = process.env.GATEWAY_SIMULATOR_HOST || '127.0.0.1';
const app = buildGatewaySimulator({
  seed: integerFromEnv('GATEWAY_SIMULATOR_SEED', 1, 0xffffffff),
  webhook: webhookFromEnv(),
  logger: { level: process.env.LOG_LEVEL || 'info' },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}

await app.listen({ port, host });
