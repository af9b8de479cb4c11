/** A segment of a place in a JSON document: an object key or an array index. */
export type Segment = string | number;

/** A compiled `$`-path: keys, indexes, and `*` for any key or index. */
export type JsonPath = (Segment | typeof ANY)[];

export const ANY = Symbol('any');

const TOKEN = /\.([A-Za-z_$][\w$-]*|\*)|\[(\d+|\*|"(?:[^"\\]|\\.)*"|'[^']*')\]/y;

/**
 * The small subset of JSONPath the shadow rules need: `$.items[*].id`, `$.meta.*`, `$.a[0]`,
 * `$["odd key"]`. Throws a message naming the path when it is not one.
 */
export function compileJsonPath(source: string): JsonPath {
  if (!source.startsWith('$')) throw new Error(`"${source}" must start with "$"`);
  const path: JsonPath = [];
  TOKEN.lastIndex = 1;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new Error(`"${source}" is not a path of the form $.key, $.list[*].key or $.list[0] (at "${source.slice(at)}")`);
    const [, dotted, bracketed] = match;
    const raw = dotted ?? bracketed!;
    if (raw === '*') path.push(ANY);
    else if (dotted !== undefined) path.push(raw);
    else if (/^\d+$/.test(raw)) path.push(Number(raw));
    else path.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.slice(1, -1));
  }
  return path;
}

/** Whether a concrete place in a document is the one a path names. */
export function pathMatches(path: JsonPath, at: readonly Segment[]): boolean {
  if (path.length !== at.length) return false;
  return path.every((segment, i) => segment === ANY || segment === at[i]);
}

/** Every value a path reaches in a document (a wildcard may reach several). */
export function valuesAt(document: unknown, path: JsonPath): unknown[] {
  let current: unknown[] = [document];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      if (segment === ANY) next.push(...Object.values(value));
      else if (Object.hasOwn(value, segment)) next.push((value as Record<string, unknown>)[segment]);
    }
    current = next;
  }
  return current;
}

/** `$.items[2].id` for a place in a document, for samples and logs. */
export function formatPath(at: readonly Segment[]): string {
  return '$' + at.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}
