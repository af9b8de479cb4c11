/** Values captured from a request by a route's path pattern and query match, decoded. */
export type Captures = Record<string, string>;

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'rest' };

/** The name a trailing `*` captures under, usable as `*` in a rewrite. */
export const REST_CAPTURE = '*';

/**
 * A path pattern: literal segments, `:name` for one non-empty segment, and `*` as the last segment
 * for the rest of the path (possibly empty). Matching compares raw segments and decodes captures.
 */
export class PathPattern {
  private readonly segments: Segment[];

  constructor(readonly source: string) {
    this.segments = source
      .split('/')
      .slice(1)
      .map((part): Segment => {
        if (part === '*') return { kind: 'rest' };
        if (part.startsWith(':')) return { kind: 'param', name: part.slice(1) };
        return { kind: 'literal', value: part };
      });
  }

  /** Names this pattern captures (`*` included when it has a trailing wildcard). */
  get captureNames(): string[] {
    return this.segments.flatMap((s) => (s.kind === 'param' ? [s.name] : s.kind === 'rest' ? [REST_CAPTURE] : []));
  }

  /** Captures of a raw (still percent-encoded) path, or null when it does not match. */
  match(path: string): Captures | null {
    return this.matchSegments(pathSegments(path));
  }

  /** `match`, for a path already split by `pathSegments` (once for all the routes it is tried on). */
  matchSegments(parts: readonly string[]): Captures | null {
    const captures: Captures = {};
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      if (segment.kind === 'rest') {
        const rest = decode(parts.slice(i).join('/'));
        if (rest === null) return null;
        captures[REST_CAPTURE] = rest;
        return captures;
      }
      const part = parts[i];
      if (part === undefined) return null;
      if (segment.kind === 'literal') {
        if (part !== segment.value) return null;
        continue;
      }
      const value = part === '' ? null : decode(part);
      if (value === null) return null;
      captures[segment.name] = value;
    }
    return parts.length === this.segments.length ? captures : null;
  }
}

/** A raw path's segments after the leading slash. */
export function pathSegments(path: string): string[] {
  return path.split('/').slice(1);
}

function decode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null; // malformed percent-encoding never matches a route: it goes to legacy untouched
  }
}

const PLACEHOLDER = /:([A-Za-z_]\w*)|\*/g;
const PLACEHOLDER_SPLIT = /:[A-Za-z_]\w*|\*/;

/** Placeholders (`:name`, `*`) a rewrite template uses. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? REST_CAPTURE);
}

/**
 * A rewrite template, split once into literals and placeholders (it is filled on every request of
 * its route): a trailing wildcard keeps its slashes, everything else is encoded.
 */
export function compileTemplate(template: string): (captures: Captures) => string {
  const literals = template.split(PLACEHOLDER_SPLIT);
  const names = templateNames(template);
  return (captures) => {
    let filled = literals[0]!;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const value = captures[name] ?? '';
      filled += (name === REST_CAPTURE ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value)) + literals[i + 1]!;
    }
    return filled;
  };
}
