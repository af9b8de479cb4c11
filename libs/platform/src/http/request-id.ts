import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/**
 * Accepts a caller's `X-Request-Id` when it is sane, otherwise makes one. Reads `rawHeaders`:
 * touching `req.headers` makes Node build the whole header object, a measurable cost per request
 * on routes that never need it.
 */
export function requestIdFor(req: IncomingMessage): string {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === REQUEST_ID_HEADER.length && name.toLowerCase() === REQUEST_ID_HEADER) {
      const value = raw[i + 1] as string;
      return ACCEPTABLE.test(value) ? value : randomUUID();
    }
  }
  return randomUUID();
}
