import { compileJsonPath, type JsonPath } from './json-path.js';

/** Methods a shadow copy may be sent for: a mirrored request never carries a body. */
export const SHADOW_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
const DEFAULT_SHADOW_METHODS = ['GET', 'HEAD'];
const SHADOW_FIELDS = ['methods', 'compare', 'ignore', 'unorderedArrays', 'fields'];

/** One compared value: a `$`-path into a JSON body, or a regular expression over the text (its first group, else the match). */
export type Extractor = { kind: 'json'; path: JsonPath; source: string } | { kind: 'regex'; regex: RegExp; source: string };

/** A route's `shadow` block, validated: what to mirror and how to compare the two answers. */
export interface ShadowRules {
  methods: string[];
  /** `body`: status and body (JSON structurally, else the text); `status`: the status alone. */
  compare: 'body' | 'status';
  /** Volatile parts left out of a JSON comparison: a bare key (anywhere) or a `$`-path. */
  ignore: string[];
  /** Arrays compared as multisets: `true` for all, or the `$`-paths of some. */
  unorderedArrays: boolean | string[];
  /** When set, only these named values are compared (e.g. a price in legacy's HTML against `$.price` in the API's JSON). */
  fields?: Record<string, { legacy: string; api: string }>;
}

export const DEFAULT_SHADOW_RULES: ShadowRules = { methods: DEFAULT_SHADOW_METHODS, compare: 'body', ignore: [], unorderedArrays: false };

/** Parses one extractor; throws a message naming what is wrong. */
export function compileExtractor(source: string): Extractor {
  if (source.startsWith('$')) return { kind: 'json', path: compileJsonPath(source), source };
  try {
    return { kind: 'regex', regex: new RegExp(source, 's'), source };
  } catch (error) {
    throw new Error(`"${source}" is neither a $-path nor a valid regular expression (${(error as Error).message})`);
  }
}

/** Checks a route's `shadow` block; problems are pushed prefixed `shadow.`. */
export function validateShadowRules(value: unknown, problems: string[]): ShadowRules | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('shadow: must be a mapping (methods, compare, ignore, unorderedArrays, fields)');
    return undefined;
  }
  const entry = value as Record<string, unknown>;
  const own: string[] = [];
  for (const key of Object.keys(entry)) if (!SHADOW_FIELDS.includes(key)) own.push(`unknown field "${key}" (known: ${SHADOW_FIELDS.join(', ')})`);
  const methods = validateMethods(entry.methods, own);
  const compare = entry.compare ?? 'body';
  if (compare !== 'body' && compare !== 'status') own.push(`compare: must be body or status (got ${JSON.stringify(compare)})`);
  const ignore = stringList(entry.ignore, 'ignore', own);
  ignore.filter((rule) => rule.startsWith('$')).forEach((rule) => checkPath(rule, 'ignore', own));
  const unordered = entry.unorderedArrays ?? false;
  let unorderedArrays: boolean | string[] = false;
  if (typeof unordered === 'boolean') unorderedArrays = unordered;
  else {
    unorderedArrays = stringList(unordered, 'unorderedArrays', own);
    unorderedArrays.forEach((rule) => (rule.startsWith('$') ? checkPath(rule, 'unorderedArrays', own) : own.push(`unorderedArrays: "${rule}" must be a $-path (or true for every array)`)));
  }
  const fields = validateFields(entry.fields, own);
  problems.push(...own.map((problem) => `shadow.${problem}`));
  if (own.length > 0) return undefined;
  return { methods, compare: compare as ShadowRules['compare'], ignore, unorderedArrays, ...(fields && { fields }) };
}

function validateMethods(value: unknown, problems: string[]): string[] {
  if (value === undefined) return DEFAULT_SHADOW_METHODS;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((m) => typeof m === 'string')) {
    problems.push('methods: a method or a list of methods');
    return [];
  }
  const methods = list.map((m: string) => m.toUpperCase());
  const unsafe = methods.filter((m) => !(SHADOW_METHODS as readonly string[]).includes(m));
  if (unsafe.length > 0) problems.push(`methods: ${unsafe.join(', ')} cannot be mirrored (only ${SHADOW_METHODS.join(', ')}: a shadow copy never repeats a change)`);
  return [...new Set(methods)];
}

function validateFields(value: unknown, problems: string[]): ShadowRules['fields'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    problems.push('fields: a non-empty mapping of name to { legacy, api } extractors');
    return undefined;
  }
  const fields: NonNullable<ShadowRules['fields']> = {};
  for (const [name, raw] of Object.entries(value)) {
    const pair = raw as Record<string, unknown> | null;
    if (typeof pair !== 'object' || pair === null || typeof pair.legacy !== 'string' || typeof pair.api !== 'string' || Object.keys(pair).length !== 2) {
      problems.push(`fields.${name}: needs exactly legacy and api, each a $-path or a regular expression`);
      continue;
    }
    for (const side of ['legacy', 'api'] as const) {
      try {
        compileExtractor(pair[side] as string);
      } catch (error) {
        problems.push(`fields.${name}.${side}: ${(error as Error).message}`);
      }
    }
    fields[name] = { legacy: pair.legacy, api: pair.api };
  }
  return fields;
}

function stringList(value: unknown, field: string, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    problems.push(`${field}: a list of non-empty strings`);
    return [];
  }
  return value as string[];
}

function checkPath(rule: string, field: string, problems: string[]): void {
  try {
    compileJsonPath(rule);
  } catch (error) {
    problems.push(`${field}: ${(error as Error).message}`);
  }
}
