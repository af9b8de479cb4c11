import type { RouteBreaker } from '../breaker/breaker-settings.js';
import type { ShadowRules } from '../shadow/shadow-rules.js';
import { type Captures, compileTemplate, PathPattern, pathSegments } from './route-pattern.js';

/** Modes the route file may name. */
export const ROUTE_MODES = ['legacy', 'api', 'canary', 'shadow', 'api-with-fallback'] as const;
export type RouteMode = (typeof ROUTE_MODES)[number];
export type Backend = 'legacy' | 'api';

/** What requests no route matched are called where a route name is expected (metrics); no route may take it. */
export const UNMATCHED_ROUTE = 'unmatched';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** One entry of routes.yaml, validated. */
export interface RouteDefinition {
  name: string;
  /** `*`: any method. */
  methods: string[] | '*';
  path: string;
  /** Query parameters that must be present: a literal value, or `:name` to capture any non-empty value. */
  query?: Record<string, string>;
  mode: RouteMode;
  /** Path (and optional query) on the API, with the captures as `:name` / `*`. */
  rewrite?: string;
  /** canary only: share of shoppers sent to the API. */
  percent?: number;
  /** canary only: routes of one group share a shopper's bucket. */
  group?: string;
  /** How long to wait for the upstream's response headers; for api-with-fallback, the API's before falling back. */
  timeoutMs?: number;
  /** What a shadow route mirrors and how it compares (kept on other modes, used by shadow only). */
  shadow?: ShadowRules;
  /** The API side's circuit breaker: `off`, or overrides of the proxy's defaults. */
  breaker?: RouteBreaker;
}

/** Where one request goes, decided once when it arrives. */
export interface RoutingDecision {
  /** The matching route's name; null for the legacy default. */
  route: string | null;
  mode: RouteMode;
  backend: Backend;
  /** Path and query to request from the legacy shop (the request's own). */
  legacyUrl: string;
  /** Path and query to request from the API (rewritten when the route says so). */
  apiUrl: string;
  /** canary: the share on the API and the bucket group (the route's name unless it names one). */
  canary?: { percent: number; group: string };
  timeoutMs?: number;
  /** The matching route's definition (its shadow rules, its breaker). */
  definition?: RouteDefinition;
  /** The kill switch is on: every route goes to legacy. */
  killed?: boolean;
}

const BACKEND_OF_MODE: Record<RouteMode, Backend> = {
  legacy: 'legacy',
  api: 'api',
  // Until the shopper's bucket says otherwise.
  canary: 'legacy',
  // Legacy answers; a copy goes to the API afterwards.
  shadow: 'legacy',
  'api-with-fallback': 'api',
};

class CompiledRoute {
  private readonly pattern: PathPattern;
  private readonly methods: ReadonlySet<string> | null;
  private readonly queryMatch: [key: string, expected: string][];
  private readonly matchedKeys: ReadonlySet<string>;
  private readonly rewritePath?: (captures: Captures) => string;
  private readonly rewriteQuery?: (captures: Captures) => string;

  constructor(readonly definition: RouteDefinition) {
    this.pattern = new PathPattern(definition.path);
    this.methods = definition.methods === '*' ? null : new Set(definition.methods);
    this.queryMatch = Object.entries(definition.query ?? {});
    this.matchedKeys = new Set(this.queryMatch.map(([key]) => key));
    if (definition.rewrite !== undefined) {
      const [path, query] = splitUrl(definition.rewrite);
      this.rewritePath = compileTemplate(path);
      if (query) this.rewriteQuery = compileTemplate(query);
    }
  }

  match(method: string, parts: readonly string[], query: string): Captures | null {
    if (this.methods && !this.methods.has(method)) return null;
    const captures = this.pattern.matchSegments(parts);
    if (!captures) return captures;
    for (const [key, expected] of this.queryMatch) {
      const actual = queryParam(query, key);
      if (expected.startsWith(':')) {
        if (!actual) return null;
        captures[expected.slice(1)] = actual;
      } else if (actual !== expected) {
        return null;
      }
    }
    return captures;
  }

  /** The API path for a match: the rewrite, keeping the query parameters the route did not match on, byte for byte. */
  apiUrl(url: string, query: string, captures: Captures): string {
    if (this.rewritePath === undefined) return url;
    let all = this.rewriteQuery ? this.rewriteQuery(captures) : '';
    if (query !== '') {
      for (const pair of query.split('&')) {
        if (pair === '' || this.matchedKeys.has(decodeQueryComponent(pair.split('=', 1)[0]!))) continue;
        all = all === '' ? pair : `${all}&${pair}`;
      }
    }
    return this.rewritePath(captures) + (all ? `?${all}` : '');
  }
}

/**
 * An immutable, ordered route table: the first route that matches decides; nothing matching goes
 * to legacy, and with the kill switch on everything does (route names kept, for the metrics).
 */
export class RouteTable {
  private readonly compiled: CompiledRoute[];

  constructor(
    readonly routes: readonly RouteDefinition[],
    readonly killSwitch = false,
  ) {
    this.compiled = routes.map((route) => new CompiledRoute(route));
  }

  resolve(method: string, url: string): RoutingDecision {
    const [path, query] = splitUrl(url);
    const parts = pathSegments(path);
    for (const route of this.compiled) {
      const captures = route.match(method, parts, query);
      if (!captures) continue;
      const { name, mode, percent, group, timeoutMs } = route.definition;
      if (this.killSwitch) return { route: name, mode: 'legacy', backend: 'legacy', legacyUrl: url, apiUrl: url, killed: true, ...(timeoutMs !== undefined && { timeoutMs }) };
      return {
        route: name,
        mode,
        backend: BACKEND_OF_MODE[mode],
        legacyUrl: url,
        apiUrl: route.apiUrl(url, query, captures),
        canary: mode === 'canary' ? { percent: percent ?? 0, group: group ?? name } : undefined,
        timeoutMs,
        definition: route.definition,
      };
    }
    return { route: null, mode: 'legacy', backend: 'legacy', legacyUrl: url, apiUrl: url };
  }
}

function splitUrl(url: string): [path: string, query: string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

/**
 * The first value of a query parameter, as URLSearchParams#get gives it, without building one for
 * every request: the query is scanned for the key, and only the pair that matches is decoded.
 */
function queryParam(query: string, key: string): string | null {
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    const equals = query.indexOf('=', start);
    const keyEnd = equals >= 0 && equals < end ? equals : end;
    if (end > start && decodeQueryComponent(query.slice(start, keyEnd)) === key) return keyEnd === end ? '' : decodeQueryComponent(query.slice(keyEnd + 1, end));
    start = end + 1;
  }
  return null;
}

/** One key or value of a query, decoded as URLSearchParams decodes it ('+' is a space, a malformed escape stays as it is). */
function decodeQueryComponent(raw: string): string {
  // Most are plain: no decoding at all.
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  return new URLSearchParams(`k=${raw}`).get('k')!;
}
