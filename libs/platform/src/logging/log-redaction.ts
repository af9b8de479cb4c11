import { types } from 'node:util';

/** What a redacted value reads as on a log line. */
export const CENSOR = '[Redacted]';

/**
 * Keys whose values never reach a log line, at any depth: credentials in headers (lower-case, as
 * Node gives them) and in bodies.
 */
export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'x-api-key',
  'proxy-authorization',
  // A guest cart's token is its bearer credential (it checks the cart out).
  'x-cart-token',
  // The proxy's token exchange and its bridge to the legacy shop.
  'x-proxy-exchange-secret',
  'x-legacy-bridge-key',
  'stripe-signature',
  'ficus-signature',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'resetToken',
  'secret',
  'clientSecret',
  'cardNumber',
  'cvc',
]);

/** Deep enough for `req.headers.*` and a logged body's nested objects; a cycle stops here too. */
const MAX_DEPTH = 8;

/**
 * A log record as it may be written: the value of every key in REDACTED_KEYS replaced by
 * `[Redacted]`, in plain objects, arrays and errors' own fields. Only the objects on the way to a
 * redacted value are copied (an error keeps its class), so a record without secrets is returned
 * as it is, and the caller's objects are never changed. Other objects (buffers, dates, class
 * instances) are left to pino's serializers.
 *
 * Why not pino's `redact` option: its redactor (@pinojs/redact 0.4) parses every path again on
 * every line, for every top-level key the wildcard paths apply to; a request line took 21 µs more
 * with our paths than without (`npm run bench:log-line`). This walk costs about 0.4 µs.
 */
export function redactLogRecord<T extends object>(record: T): T {
  return redacted(record, 0) as T;
}

function redacted(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = redacted(item, depth + 1);
      if (next !== item) (copy ??= value.slice())[i] = next;
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  const error = types.isNativeError(value);
  // Plain: a root prototype, whatever realm made it (Node's request headers come from another
  // realm than the code under jest's VM, where `proto === Object.prototype` would say no).
  if (!error && proto !== null && Object.getPrototypeOf(proto) !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const next = REDACTED_KEYS.has(key) ? CENSOR : redacted(item, depth + 1);
    if (next === item) continue;
    // An error's copy keeps its class, message and stack, which pino's error serializer reads.
    copy ??= error ? Object.assign(Object.create(proto) as Record<string, unknown>, { message: (value as Error).message, stack: (value as Error).stack }, value) : { ...value };
    copy[key] = next;
  }
  return copy ?? value;
}
