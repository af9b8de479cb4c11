import { type Difference, JsonComparison } from './json-diff.js';
import { valuesAt } from './json-path.js';
import { compileExtractor, type Extractor, type ShadowRules } from './shadow-rules.js';

/** One side's answer as the shadow saw it (body decoded, at most the size cap). */
export interface ShadowAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

export type MismatchKind = 'status' | 'body' | 'fields';

export interface Comparison {
  match: boolean;
  kind?: MismatchKind;
  differences: Difference[];
}

interface CompiledRules {
  rules: ShadowRules;
  json: JsonComparison;
  fields?: [name: string, legacy: Extractor, api: Extractor][];
}

const compiled = new WeakMap<ShadowRules, CompiledRules>();
const TEXT_CONTEXT = 60;

/** Compares the two answers as a route's rules say: status first, then the named fields, JSON structurally, or the text. */
export function compareAnswers(rules: ShadowRules, legacy: ShadowAnswer, api: ShadowAnswer): Comparison {
  if (legacy.status !== api.status) return mismatch('status', [{ path: 'status', kind: 'changed', legacy: legacy.status, api: api.status }]);
  if (rules.compare === 'status') return { match: true, differences: [] };
  const { json, fields } = compile(rules);
  if (fields) {
    const differences = fields.flatMap(([name, fromLegacy, fromApi]): Difference[] => {
      const [a, b] = [extract(fromLegacy, legacy), extract(fromApi, api)];
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: `fields.${name}`, kind: 'changed', legacy: a, api: b }];
    });
    return differences.length > 0 ? mismatch('fields', differences) : { match: true, differences };
  }
  const [a, b] = [parseJson(legacy), parseJson(api)];
  if (a !== undefined && b !== undefined) {
    const differences = json.differences(a, b);
    return differences.length > 0 ? mismatch('body', differences) : { match: true, differences };
  }
  if (legacy.body.equals(api.body)) return { match: true, differences: [] };
  return mismatch('body', [textDifference(legacy.body.toString('utf8'), api.body.toString('utf8'))]);
}

function compile(rules: ShadowRules): CompiledRules {
  let entry = compiled.get(rules);
  if (!entry) {
    const fields = rules.fields && Object.entries(rules.fields).map(([name, pair]) => [name, compileExtractor(pair.legacy), compileExtractor(pair.api)] as [string, Extractor, Extractor]);
    entry = { rules, json: new JsonComparison(rules), ...(fields && { fields }) };
    compiled.set(rules, entry);
  }
  return entry;
}

const mismatch = (kind: MismatchKind, differences: Difference[]): Comparison => ({ match: false, kind, differences });

function parseJson(answer: ShadowAnswer): unknown {
  if (!/[/+]json\b/i.test(answer.contentType)) return undefined;
  try {
    return JSON.parse(answer.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The values an extractor finds, as text: entities decoded, white space collapsed (HTML and JSON write them differently). */
function extract(extractor: Extractor, answer: ShadowAnswer): string[] {
  if (extractor.kind === 'json') {
    const document = parseJson(answer);
    return document === undefined ? [] : valuesAt(document, extractor.path).map((value) => normaliseText(typeof value === 'string' ? value : JSON.stringify(value)));
  }
  const text = answer.body.toString('utf8');
  return [...text.matchAll(new RegExp(extractor.regex.source, 'gs'))].map((match) => normaliseText(match[1] ?? match[0]));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

function normaliseText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_all, name: string) => ENTITIES[name]!).replace(/\s+/g, ' ').trim();
}

/** Where two texts first part, with a little context on each side. */
function textDifference(legacy: string, api: string): Difference {
  let at = 0;
  while (at < legacy.length && legacy[at] === api[at]) at++;
  const from = Math.max(0, at - TEXT_CONTEXT / 2);
  return { path: `body (from character ${at})`, kind: 'changed', legacy: legacy.slice(from, at + TEXT_CONTEXT), api: api.slice(from, at + TEXT_CONTEXT) };
}
