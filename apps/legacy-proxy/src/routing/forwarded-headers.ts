import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { REQUEST_ID_HEADER } from '#platform';
import { BRIDGE_KEY_HEADER, EXCHANGE_SECRET_HEADER } from '../bridge/auth-bridge.js';
import { BACKEND_HEADER } from './backend-override.js';
import { withoutHopByHop } from './hop-by-hop.js';
import type { PublicOrigin } from './public-origin.js';
import type { Backend } from './route-table.js';

/** Secrets of the proxy's own calls: never taken from a client, never passed on. */
export const PROXY_ONLY_HEADERS = [BACKEND_HEADER, BRIDGE_KEY_HEADER, EXCHANGE_SECRET_HEADER];

const UPSTREAM_REQUEST_ID = 'x-upstream-request-id';

/**
 * Not passed on from the client: the proxy's own secrets; what the proxy sets itself (the
 * backend's Host, X-Forwarded-*, the request id); and `Expect`, which Node already answered with
 * `100 Continue` (undici refuses to send it).
 */
const SET_BY_THE_PROXY = new Set([...PROXY_ONLY_HEADERS, 'host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', REQUEST_ID_HEADER, 'expect']);

/** Who asked, as the backends are told (the API trusts it with its TRUST_PROXY), and the client's address. */
export interface Forwarded {
  for: string;
  proto: string;
  host: string;
  /** The client's address: the first of the chain. */
  client: string | undefined;
}

/**
 * Set here, not passed on, so a client cannot claim another address. Behind a trusted load
 * balancer (the proxy's own TRUST_PROXY) the chain it vouched for is kept, and the protocol it
 * saw (the last X-Forwarded-Proto) is the request's, as Fastify reads them.
 */
export function forwardedFor(req: IncomingMessage, trustProxy: boolean): Forwarded {
  const socket = req.socket.remoteAddress;
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
  const host = req.headers.host ?? '';
  if (!trustProxy) return { for: socket ?? '', proto: encrypted ? 'https' : 'http', host, client: socket };
  const chain = splitList(req.headers['x-forwarded-for']);
  if (socket !== undefined) chain.push(socket);
  const proto = splitList(req.headers['x-forwarded-proto']).at(-1) ?? (encrypted ? 'https' : 'http');
  return { for: chain.join(', '), proto, host, client: chain[0] };
}

function splitList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** The client's headers for a backend: hop-by-hop and the proxy's own taken out, the proxy's facts put in. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, requestId: string, forwarded: Forwarded, bearer?: string): IncomingHttpHeaders {
  const headers = withoutHopByHop(incoming, SET_BY_THE_PROXY);
  headers['x-forwarded-for'] = forwarded.for;
  headers['x-forwarded-proto'] = forwarded.proto;
  headers['x-forwarded-host'] = forwarded.host;
  headers[REQUEST_ID_HEADER] = requestId;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  return headers;
}

export interface AnswerContext {
  requestId: string;
  backend: Backend;
  forwarded: Forwarded;
  /** A canary answer: it depends on the shopper's bucket cookie. */
  varyCookie: boolean;
  /** The proxy's own headers for this answer (bucket cookie, breaker, fallback). */
  own?: OutgoingHttpHeaders;
}

/**
 * A backend's end-to-end answer headers made the client's, in place: its own origin moved to the
 * public one, our request id (an upstream that logged under another id still says which), the
 * backend that answered, and the proxy's own headers (its cookie before the backend's).
 */
export function answerHeaders(upstream: IncomingHttpHeaders, context: AnswerContext, publicOrigin: PublicOrigin): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = publicOrigin.rewrite(upstream, context.forwarded.proto, context.forwarded.host || undefined);
  const upstreamId = headers[REQUEST_ID_HEADER];
  if (upstreamId !== undefined && upstreamId !== context.requestId) headers[UPSTREAM_REQUEST_ID] = upstreamId;
  headers[REQUEST_ID_HEADER] = context.requestId;
  headers[BACKEND_HEADER] = context.backend;
  // A shared cache must not hand a canary answer to another shopper.
  if (context.varyCookie) headers.vary = headers.vary ? `${String(headers.vary)}, Cookie` : 'Cookie';
  for (const name in context.own) {
    const value = context.own[name]!;
    const theirs = headers[name];
    headers[name] = name === 'set-cookie' && theirs !== undefined ? [value, theirs].flat().map(String) : value;
  }
  return headers;
}

/** The headers of a problem the proxy answers itself for a backend. */
export function problemHeaders(context: AnswerContext, contentType: string, length: number): OutgoingHttpHeaders {
  return { ...context.own, [REQUEST_ID_HEADER]: context.requestId, [BACKEND_HEADER]: context.backend, 'content-type': contentType, 'content-length': length };
}
