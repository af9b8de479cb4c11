import { slugify } from '../slug.js';
import { type ImportCandidate, type Location, variantIndexOf } from './import-candidate.js';
import { UnreadableImportError } from './import.errors.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON array of products. `text`, when the raw file is at hand, adds each product's line to the report. */
export function readJson(value: unknown, text?: string): { candidates: ImportCandidate[]; rows: number } {
  if (!Array.isArray(value)) throw new UnreadableImportError('A JSON import is an array of products');
  const lines = text === undefined ? [] : elementLines(text);
  const candidates = value.map((element: unknown, index) => jsonCandidate(element, { index, ...(lines[index] && { line: lines[index] }) }));
  return { candidates, rows: value.length };
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnreadableImportError(`The file is not JSON: ${(error as Error).message}`);
  }
}

/** One JSON product per line; a line that is not JSON is a rejected line, not an unreadable file. */
export function readNdjson(text: string): { candidates: ImportCandidate[]; rows: number } {
  const candidates = text
    .split(/\r\n|\r|\n/)
    .map((content, i) => ({ content, line: i + 1 }))
    .filter(({ content }) => content.trim() !== '')
    .map(({ content, line }) => {
      try {
        return jsonCandidate(JSON.parse(content), { line });
      } catch (error) {
        const candidate = jsonCandidate({}, { line });
        return { ...candidate, unreadable: true, problems: [{ at: { line }, field: 'line', message: `not JSON: ${(error as Error).message}` }] };
      }
    });
  if (candidates.length === 0) throw new UnreadableImportError('The NDJSON file has no products');
  return { candidates, rows: candidates.length };
}

function jsonCandidate(element: unknown, place: Location): ImportCandidate {
  const data = isObject(element) ? { ...element } : {};
  const handle = typeof data.slug === 'string' ? data.slug : typeof data.name === 'string' ? slugify(data.name) : '';
  if (handle && data.slug === undefined) data.slug = handle;
  const variants = Array.isArray(data.variants) ? (data.variants as unknown[]) : [];
  const locate = (path: string) => {
    const variant = variants[variantIndexOf(path) ?? -1];
    const sku = isObject(variant) && typeof variant.sku === 'string' ? variant.sku : undefined;
    return { at: { ...place, ...(handle && { handle }), ...(sku && { sku }) }, field: path };
  };
  const problems = isObject(element) ? [] : [{ ...locate(''), field: 'product', message: 'a product must be a JSON object' }];
  return { handle, data, rows: 1, problems, locate };
}

/** The line each top-level array element starts on, found by scanning outside strings. */
export function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (expectElement && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1 && ch === '[') expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}
