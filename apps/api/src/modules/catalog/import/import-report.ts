import type { FieldError } from '#platform';

export const IMPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One bad line (CSV, NDJSON) or array element (JSON) and everything wrong with it. */
export interface RejectedLine {
  /** Physical line in the file, from 1 (CSV: the header is line 1). */
  line?: number;
  /** Position in a JSON array, from 0. */
  index?: number;
  handle?: string;
  sku?: string;
  errors: FieldError[];
}

export interface ImportReport {
  format: ImportFormat;
  dryRun: boolean;
  products: { created: number; updated: number; rejected: number };
  /** Data rows (CSV) or products (JSON, NDJSON) read. */
  rows: number;
  rejected: RejectedLine[];
}

/** Rows handled so far out of all rows; called as products are written or rejected. */
export type ImportProgress = (done: number, total: number) => void;
