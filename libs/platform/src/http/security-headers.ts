import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * JSON responses: helmet with the headers OWASP's REST cheat sheet asks of an API (no framing,
 * no sniffing, HSTS, no referrer, same-origin resources, a CSP that forbids everything). The
 * browser-document headers (COOP, Origin-Agent-Cluster, DNS prefetch, IE download options, Flash
 * policies, X-XSS-Protection) only mean something for HTML pages.
 */
export const API_HELMET: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: [`'none'`], frameAncestors: [`'none'`] } },
  frameguard: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** HTML pages (the Swagger UI at /docs): helmet's full defaults, the CSP admitting its inline script. */
export const DOCUMENT_HELMET: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: [`'self'`],
      styleSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:'],
      scriptSrc: [`'self'`, `'unsafe-inline'`],
    },
  },
};

/**
 * Helmet's headers, computed once. @fastify/helmet runs helmet's middleware on every request and
 * rebuilds the CSP each time (it may hold per-request nonces, ours do not); that halved the API's
 * throughput in bench/baseline. The values are exactly what helmet produces for these options.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

export interface SecurityHeaders {
  api: Record<string, string>;
  documents: Record<string, string>;
}

export function securityHeaders(): SecurityHeaders {
  return { api: helmetHeaders(API_HELMET), documents: helmetHeaders(DOCUMENT_HELMET) };
}
