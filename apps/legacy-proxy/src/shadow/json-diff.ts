import { compileJsonPath, formatPath, type JsonPath, pathMatches, type Segment } from './json-path.js';
import type { ShadowRules } from './shadow-rules.js';

export type DifferenceKind = 'changed' | 'type' | 'missing in api' | 'only in api';

/** One place where the two JSON answers differ. */
export interface Difference {
  path: string;
  kind: DifferenceKind;
  legacy?: unknown;
  api?: unknown;
}

const MAX_DIFFERENCES = 20;

/** A shadow route's JSON rules, compiled once per route table. */
export class JsonComparison {
  private readonly ignoredKeys: ReadonlySet<string>;
  private readonly ignoredPaths: JsonPath[];
  private readonly unordered: boolean | JsonPath[];

  constructor(rules: Pick<ShadowRules, 'ignore' | 'unorderedArrays'>) {
    this.ignoredKeys = new Set(rules.ignore.filter((rule) => !rule.startsWith('$')));
    this.ignoredPaths = rules.ignore.filter((rule) => rule.startsWith('$')).map(compileJsonPath);
    this.unordered = typeof rules.unorderedArrays === 'boolean' ? rules.unorderedArrays : rules.unorderedArrays.map(compileJsonPath);
  }

  /** The differences between two parsed documents once volatile parts are left out; empty when they match. */
  differences(legacy: unknown, api: unknown): Difference[] {
    const found: Difference[] = [];
    diff(this.normalise(legacy, []), this.normalise(api, []), [], found);
    return found;
  }

  /** Ignored parts dropped, unordered arrays sorted (by their elements' canonical text). */
  private normalise(value: unknown, at: Segment[]): unknown {
    if (Array.isArray(value)) {
      const items = value.map((item, i) => this.normalise(item, [...at, i]));
      if (!this.isUnordered(at)) return items;
      return items.map((item) => [JSON.stringify(item), item] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
    }
    if (value === null || typeof value !== 'object') return value;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const place = [...at, key];
      if (this.ignoredKeys.has(key) || this.ignoredPaths.some((path) => pathMatches(path, place))) continue;
      result[key] = this.normalise((value as Record<string, unknown>)[key], place);
    }
    return result;
  }

  private isUnordered(at: Segment[]): boolean {
    return typeof this.unordered === 'boolean' ? this.unordered : this.unordered.some((path) => pathMatches(path, at));
  }
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function diff(legacy: unknown, api: unknown, at: Segment[], found: Difference[]): void {
  if (found.length >= MAX_DIFFERENCES) return;
  const kind = kindOf(legacy);
  if (kind !== kindOf(api)) return void found.push({ path: formatPath(at), kind: 'type', legacy, api });
  if (kind === 'array') {
    const [a, b] = [legacy as unknown[], api as unknown[]];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= b.length) found.push({ path: formatPath([...at, i]), kind: 'missing in api', legacy: a[i] });
      else if (i >= a.length) found.push({ path: formatPath([...at, i]), kind: 'only in api', api: b[i] });
      else diff(a[i], b[i], [...at, i], found);
    }
    return;
  }
  if (kind === 'object') {
    const [a, b] = [legacy as Record<string, unknown>, api as Record<string, unknown>];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!Object.hasOwn(b, key)) found.push({ path: formatPath([...at, key]), kind: 'missing in api', legacy: a[key] });
      else if (!Object.hasOwn(a, key)) found.push({ path: formatPath([...at, key]), kind: 'only in api', api: b[key] });
      else diff(a[key], b[key], [...at, key], found);
    }
    return;
  }
  if (legacy !== api) found.push({ path: formatPath(at), kind: 'changed', legacy, api });
}
