import { createHash } from 'node:crypto';
import { SimulatorError, invalidRequest } from './errors.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

type Entry = { fingerprint: string; response?: StoredResponse };

export type Claim = { kind: 'claimed' } | { kind: 'replay'; response: StoredResponse };

/**
 * Stripe-like idempotency: a key remembers the request it was first used with (method, path and
 * body) and, once that request has executed, its response. Keys live until `clear()`.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Claims `key` for a request, or says what to replay; throws on misuse of the key. */
  claim(key: string, method: string, path: string, body: unknown): Claim {
    const fingerprint = fingerprintOf(method, path, body);
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint });
      return { kind: 'claimed' };
    }
    if (entry.fingerprint !== fingerprint) {
      throw new SimulatorError(400, 'idempotency_error', 'idempotency_key_reused',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
    }
    if (!entry.response) {
      throw new SimulatorError(409, 'idempotency_error', 'idempotency_key_in_use',
        'There is currently another in-progress request using this Idempotency-Key. Try again later.');
    }
    return { kind: 'replay', response: entry.response };
  }

  complete(key: string, response: StoredResponse): void {
    const entry = this.entries.get(key);
    if (entry) entry.response = structuredClone(response);
  }

  /** Forgets a claim whose request never executed (a 5xx or a timeout), so a retry can run it. */
  release(key: string): void {
    if (this.entries.get(key)?.response === undefined) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

export function parseIdempotencyKey(header: string | string[] | undefined): string {
  if (header === undefined) throw invalidRequest('idempotency_key_missing', 'This request requires an Idempotency-Key header');
  const key = Array.isArray(header) ? header[0] : header;
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw invalidRequest('idempotency_key_invalid', 'Idempotency-Key must be 1 to 255 characters');
  }
  return key;
}

function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
