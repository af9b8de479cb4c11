// `npm run bench:log-line [-- --lines 100000]`
//
// What redaction costs per log line: the API's request line (a 503 of POST /checkout, headers
// included) written by pino to a sink that drops it, three ways in alternating rounds: without
// redaction (the baseline), with pino's own `redact` option over the paths the platform used
// until 2026-11-28, and with the platform's logger (`createRootLogger`, `redactLogRecord`).
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createRootLogger } from '../libs/platform/src/logging/logging.module.js';
import { median } from './lib/proc-cpu.js';

const { values: args } = parseArgs({ options: { lines: { type: 'string', default: '100000' } }, strict: true });
const LINES = Number(args.lines);
const ROUNDS = 5;

/** pino's `redact` paths as the platform configured them before its own redaction. */
const PINO_PATHS = [
  ...['authorization', 'cookie', '["x-api-key"]', '["proxy-authorization"]', '["x-cart-token"]', '["x-proxy-exchange-secret"]', '["x-legacy-bridge-key"]', '["stripe-signature"]', '["ficus-signature"]'].map((name) => `req.headers${name.startsWith('[') ? '' : '.'}${name}`),
  ...['password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'resetToken', 'secret', 'clientSecret', 'cardNumber', 'cvc'].map((key) => `*.${key}`),
];

const sink = { write: () => undefined };
const loggers: Record<string, pino.Logger> = {
  'pino, no redaction (baseline)': pino({ level: 'info' }, sink),
  "pino's redact option": pino({ level: 'info', redact: { paths: PINO_PATHS, censor: '[Redacted]' } }, sink),
  'platform logger (redactLogRecord)': createRootLogger('info', sink),
};

const requestLine = () => ({
  requestId: 'b3c1f2d4-1111-2222-3333-444455556666',
  req: {
    method: 'POST',
    url: '/api/v1/checkout',
    headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', 'content-length': '412', 'idempotency-key': 'k-1', 'x-cart-token': 'ct_1', 'user-agent': 'node', accept: '*/*' },
    remoteAddress: '127.0.0.1',
  },
  route: '/api/v1/checkout',
  status: 503,
  responseTime: 3.21,
});

function perLineUs(logger: pino.Logger): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) logger.warn(requestLine(), 'POST /api/v1/checkout 503');
  return Number(process.hrtime.bigint() - start) / LINES / 1000;
}

console.log(`# bench:log-line, ${new Date().toISOString()}\n- ${os.cpus()[0]?.model} x${os.cpus().length}, Node ${process.version}; median of ${ROUNDS} rounds of ${LINES} lines\n`);
for (const logger of Object.values(loggers)) perLineUs(logger);
const samples = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, logger] of Object.entries(loggers)) samples.set(name, [...(samples.get(name) ?? []), perLineUs(logger)]);
}
console.log('| logger | µs per line | over the baseline |\n|---|---:|---:|');
const baseline = median(samples.get('pino, no redaction (baseline)')!);
for (const [name, xs] of samples) console.log(`| ${name} | ${median(xs).toFixed(2)} | ${(median(xs) - baseline).toFixed(2)} µs |`);
