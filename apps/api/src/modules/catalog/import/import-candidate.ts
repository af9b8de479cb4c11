import type { FieldError } from '#platform';
import type { RejectedLine } from './import-report.js';

/** Where in the file something is: a line and/or a JSON index, with the handle and SKU there. */
export type Location = Omit<RejectedLine, 'errors'>;

/** A problem at a place in the file, named as the file names the field. */
export interface Problem extends FieldError {
  at: Location;
}

/** One product read from the file, before validation. */
export interface ImportCandidate {
  /** The product's slug, which matches an existing product: the CSV handle or the JSON slug. */
  handle: string;
  /** Shaped as ImportedProduct, not yet validated. */
  data: Record<string, unknown>;
  /** Rows (CSV) or products (JSON) it came from, for progress. */
  rows: number;
  /** Problems found while reading, before validation. */
  problems: Problem[];
  /** Nothing to validate: the line was not JSON. */
  unreadable?: boolean;
  /** Where an error on a DTO path (`variants.2.price.amount`) belongs and what the file calls that field. */
  locate(path: string): { at: Location; field: string };
}

export function problemAt(candidate: ImportCandidate, path: string, message: string): Problem {
  const { at, field } = candidate.locate(path);
  return { at, field, message };
}

/** Problems of one place merged into one report line each, in file order. */
export function rejectedLines(problems: Problem[]): RejectedLine[] {
  const byPlace = new Map<string, RejectedLine>();
  for (const { at, field, message } of problems) {
    const key = `${at.line ?? ''}:${at.index ?? ''}`;
    const entry = byPlace.get(key) ?? { ...at, errors: [] };
    if (!entry.errors.some((e) => e.field === field && e.message === message)) entry.errors.push({ field, message });
    byPlace.set(key, entry);
  }
  return [...byPlace.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.index ?? 0) - (b.index ?? 0));
}

/** The variant index a DTO path points into (`variants.2.sku` -> 2). */
export function variantIndexOf(path: string): number | undefined {
  const match = /^variants\.(\d+)/.exec(path);
  return match ? Number(match[1]) : undefined;
}
