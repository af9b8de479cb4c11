import type { IncomingHttpHeaders } from 'node:http';

export const FALLBACK_HEADER = 'x-ficus-fallback';
export const DEFAULT_FALLBACK_TIMEOUT_MS = 5_000;

/** Why an api-with-fallback request was served by legacy. */
export type FallbackReason = '5xx' | 'timeout' | 'unreachable';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Only a safe request without a body may be sent a second time: a body streams to the API
 * unbuffered and cannot be replayed, and a POST is never repeated (Idempotency-Key or not).
 */
export function mayFallBack(method: string, headers: IncomingHttpHeaders): boolean {
  if (!SAFE_METHODS.has(method)) return false;
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** undici's errors: a timeout names itself (headers, body or connect timeout); anything else is an unreachable backend. */
export const failureReason = (error: Error): FallbackReason => (/timeout/i.test(error.message) ? 'timeout' : 'unreachable');
