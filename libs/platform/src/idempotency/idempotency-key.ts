import { createHash } from 'node:crypto';
import { MalformedIdempotencyKeyError } from './idempotency.errors.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * The key from the header: 1-255 visible ASCII characters, as a bare token or as the structured
 * field string the IETF draft specifies (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`).
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new MalformedIdempotencyKeyError('was sent more than once');
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(header.trim());
  if (!quoted && header.trim().startsWith('"')) throw new MalformedIdempotencyKeyError('is a malformed quoted string');
  const key = quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : header.trim();
  if (key.length < 1 || key.length > 255) throw new MalformedIdempotencyKeyError('must be 1 to 255 characters');
  if (!/^[\x21-\x7e]+$/.test(key)) throw new MalformedIdempotencyKeyError('must be visible ASCII characters without spaces');
  return key;
}

/** SHA-256 of the body in a canonical form: JSON with object keys sorted at every level. */
export function fingerprintOf(body: unknown): string {
  const canonical = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(sorted(body ?? null));
  return createHash('sha256').update(canonical).digest('hex');
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sorted(record[key])]));
}
