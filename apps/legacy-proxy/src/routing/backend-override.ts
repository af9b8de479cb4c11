import type { IncomingHttpHeaders } from 'node:http';
import { cookieValue } from './cookies.js';
import type { Backend } from './route-table.js';

export const BACKEND_HEADER = 'x-ficus-backend';
export const BACKEND_COOKIE = 'ficus_backend';

const asBackend = (value: string | undefined): Backend | null => (value === 'legacy' || value === 'api' ? value : null);

/**
 * A tester's choice of backend for one request: the `X-Ficus-Backend` header, else the
 * `ficus_backend` cookie. Anything but `legacy` or `api` is ignored.
 */
export function backendOverride(headers: IncomingHttpHeaders): Backend | null {
  const header = headers[BACKEND_HEADER];
  const fromHeader = asBackend(typeof header === 'string' ? header.trim().toLowerCase() : undefined);
  if (fromHeader) return fromHeader;
  return asBackend(cookieValue(headers.cookie, BACKEND_COOKIE)?.toLowerCase());
}
