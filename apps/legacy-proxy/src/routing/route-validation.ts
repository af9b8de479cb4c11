import { validateBreaker } from '../breaker/breaker-settings.js';
import { validateShadowRules } from '../shadow/shadow-rules.js';
import { REST_CAPTURE, PathPattern, templateNames } from './route-pattern.js';
import { HTTP_METHODS, ROUTE_MODES, type RouteDefinition, type RouteMode, UNMATCHED_ROUTE } from './route-table.js';

const FIELDS = ['name', 'methods', 'path', 'query', 'mode', 'rewrite', 'percent', 'group', 'timeoutMs', 'shadow', 'breaker'];
const TOP_LEVEL = ['routes', 'killSwitch'];
const MAX_TIMEOUT_MS = 600_000;
const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

type Problems = string[];

/**
 * Checks a parsed route file and returns its routes, or the list of problems, each naming the
 * entry (index and name) and the field.
 */
export function validateRoutes(document: unknown): { routes: RouteDefinition[]; killSwitch: boolean } | { problems: Problems } {
  if (document === null || document === undefined) return { problems: ['the file is empty (write `routes: []` for no routes)'] };
  if (!isMapping(document)) return { problems: ['the file must be a mapping with a `routes` list'] };
  const problems: Problems = Object.keys(document)
    .filter((key) => !TOP_LEVEL.includes(key))
    .map((key) => `unknown top-level field "${key}" (known: ${TOP_LEVEL.join(', ')})`);
  const killSwitch = document.killSwitch ?? false;
  if (typeof killSwitch !== 'boolean') problems.push(`killSwitch: must be true or false (got ${describe(killSwitch)})`);
  const entries = document.routes;
  if (!Array.isArray(entries)) return { problems: [...problems, '`routes` must be a list'] };

  const routes: RouteDefinition[] = [];
  const names = new Map<string, number>();
  entries.forEach((entry, index) => {
    const label = `routes[${index}]` + (isMapping(entry) && typeof entry.name === 'string' ? ` "${entry.name}"` : '');
    const own: Problems = [];
    const route = validateRoute(entry, own);
    if (route) {
      const earlier = names.get(route.name);
      if (earlier !== undefined) own.push(`name: "${route.name}" is already used by routes[${earlier}]`);
      else names.set(route.name, index);
    }
    problems.push(...own.map((problem) => `${label}: ${problem}`));
    if (route && own.length === 0) routes.push(route);
  });
  return problems.length > 0 ? { problems } : { routes, killSwitch: killSwitch === true };
}

function validateRoute(entry: unknown, problems: Problems): RouteDefinition | null {
  if (!isMapping(entry)) {
    problems.push('must be a mapping with name, methods, path and mode');
    return null;
  }
  for (const key of Object.keys(entry)) {
    if (!FIELDS.includes(key)) problems.push(`unknown field "${key}" (known: ${FIELDS.join(', ')})`);
  }
  const name = requiredString(entry, 'name', problems);
  if (name !== undefined && !NAME.test(name)) problems.push(`name: "${name}" must be 1-64 letters, digits, ".", "_" or "-"`);
  if (name === UNMATCHED_ROUTE) problems.push(`name: "${UNMATCHED_ROUTE}" is reserved (the metrics' label for requests no route matched)`);
  const methods = validateMethods(entry.methods, problems);
  const path = requiredString(entry, 'path', problems);
  const captures = path === undefined ? [] : validatePath(path, problems);
  const query = validateQuery(entry.query, problems);
  captures.push(...Object.values(query ?? {}).filter((v) => v.startsWith(':')).map((v) => v.slice(1)));
  const mode = validateMode(entry.mode, problems);
  const rewrite = validateRewrite(entry.rewrite, captures, problems);
  const canary = validateCanary(entry, mode, problems);
  const timeoutMs = validateTimeout(entry.timeoutMs, problems);
  const shadow = validateShadowRules(entry.shadow, problems);
  const breaker = validateBreaker(entry.breaker, problems);
  if (name === undefined || methods === undefined || path === undefined || mode === undefined) return null;
  return {
    name,
    methods,
    path,
    mode,
    ...(query && { query }),
    ...(rewrite !== undefined && { rewrite }),
    ...canary,
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(shadow && { shadow }),
    ...(breaker !== undefined && { breaker }),
  };
}

function validateMethods(value: unknown, problems: Problems): RouteDefinition['methods'] | undefined {
  if (value === '*') return '*';
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((m) => typeof m === 'string')) {
    problems.push('methods: required, a method, a list of methods, or "*" for any');
    return undefined;
  }
  const methods = list.map((m: string) => m.toUpperCase());
  const unknown = methods.filter((m) => !(HTTP_METHODS as readonly string[]).includes(m));
  if (unknown.length > 0) problems.push(`methods: unknown ${unknown.join(', ')} (known: ${HTTP_METHODS.join(', ')}, or "*")`);
  return [...new Set(methods)];
}

function validatePath(path: string, problems: Problems): string[] {
  if (!path.startsWith('/') || /[?#\s]/.test(path)) {
    problems.push(`path: "${path}" must start with "/" and hold no query, fragment or spaces (match the query with "query")`);
    return [];
  }
  const parts = path.split('/').slice(1);
  parts.forEach((part, i) => {
    if (part === '*' && i !== parts.length - 1) problems.push(`path: "*" may only be the last segment of "${path}"`);
    if (part.startsWith(':') && !IDENTIFIER.test(part.slice(1))) problems.push(`path: "${part}" is not a valid parameter name`);
  });
  const captures = new PathPattern(path).captureNames;
  const repeated = captures.filter((c, i) => captures.indexOf(c) !== i);
  if (repeated.length > 0) problems.push(`path: parameter ${repeated.join(', ')} appears twice`);
  return captures;
}

function validateQuery(value: unknown, problems: Problems): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isMapping(value) || Object.keys(value).length === 0) {
    problems.push('query: must be a non-empty mapping of parameter to value (or ":name" to capture it)');
    return undefined;
  }
  const query: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      problems.push(`query.${key}: must be a string or number (got ${describe(raw)})`);
      continue;
    }
    const expected = String(raw);
    if (expected.startsWith(':') && !IDENTIFIER.test(expected.slice(1))) problems.push(`query.${key}: "${expected}" is not a valid parameter name`);
    if (expected === '') problems.push(`query.${key}: must not be empty`);
    query[key] = expected;
  }
  return query;
}

function validateMode(value: unknown, problems: Problems): RouteMode | undefined {
  if (typeof value === 'string' && (ROUTE_MODES as readonly string[]).includes(value)) return value as RouteMode;
  problems.push(`mode: must be one of ${ROUTE_MODES.join(', ')} (got ${describe(value)})`);
  return undefined;
}

function validateRewrite(value: unknown, captures: string[], problems: Problems): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.startsWith('/') || /[#\s]/.test(value)) {
    problems.push(`rewrite: must be a path on the API starting with "/" (got ${describe(value)})`);
    return undefined;
  }
  const missing = templateNames(value).filter((n) => !captures.includes(n));
  if (missing.length > 0) {
    const what = missing.map((n) => (n === REST_CAPTURE ? '*' : `:${n}`)).join(', ');
    problems.push(`rewrite: uses ${what}, which neither the path nor the query captures`);
  }
  return value;
}

function validateCanary(entry: Record<string, unknown>, mode: RouteMode | undefined, problems: Problems): Pick<RouteDefinition, 'percent' | 'group'> {
  const { percent, group } = entry;
  if (mode !== 'canary') {
    if (percent !== undefined) problems.push('percent: only applies to mode canary');
    if (group !== undefined) problems.push('group: only applies to mode canary');
    return {};
  }
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    problems.push(`percent: mode canary needs a number from 0 to 100 (got ${describe(percent)})`);
  }
  if (group !== undefined && (typeof group !== 'string' || !NAME.test(group))) problems.push(`group: must be a name (got ${describe(group)})`);
  return { ...(typeof percent === 'number' && { percent }), ...(typeof group === 'string' && { group }) };
}

function validateTimeout(value: unknown, problems: Problems): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TIMEOUT_MS) return value;
  problems.push(`timeoutMs: must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got ${describe(value)})`);
  return undefined;
}

function requiredString(entry: Record<string, unknown>, field: string, problems: Problems): string | undefined {
  const value = entry[field];
  if (typeof value === 'string' && value !== '') return value;
  problems.push(`${field}: required, a non-empty string (got ${describe(value)})`);
  return undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
