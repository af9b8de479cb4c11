import { CsvError, parse } from 'csv-parse/sync';
import { type ImportCandidate, type Location, type Problem, variantIndexOf } from './import-candidate.js';
import { UnreadableImportError } from './import.errors.js';

/**
 * CSV: one row per variant, grouped into products by `handle` (the product slug). Product columns
 * are read from a group's first row; `|` separates list values.
 */
const PRODUCT_COLUMNS = ['name', 'description', 'status', 'brand', 'categories', 'image_urls'] as const;
const VARIANT_COLUMNS = ['sku', 'price_amount', 'currency', 'compare_at_amount', 'weight_grams', 'barcode', 'in_stock'] as const;
const REQUIRED_COLUMNS = ['handle', 'name', 'sku', 'price_amount', 'currency'];
const KNOWN_COLUMNS = new Set<string>(['handle', ...PRODUCT_COLUMNS, ...VARIANT_COLUMNS]);
const PREFIXED_COLUMN = /^(attr|option)\.[a-z][a-z0-9_-]{0,39}$/;

/** DTO paths as the CSV names them, for error messages. */
const VARIANT_FIELDS: Record<string, string> = {
  'price.amount': 'price_amount',
  'price.currency': 'currency',
  price: 'price_amount',
  'compareAtPrice.amount': 'compare_at_amount',
  'compareAtPrice.currency': 'currency',
  compareAtPrice: 'compare_at_amount',
  weightGrams: 'weight_grams',
  inStock: 'in_stock',
  options: 'option.*',
};
const PRODUCT_FIELDS: Record<string, string> = { slug: 'handle', attributes: 'attr.*', images: 'image_urls', variants: 'sku' };

interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

/** `extra`: fields past the header's. */
type GroupRow = CsvRow & { extra: number };

/** Rows keyed by column, each with the physical line it starts on (quoted fields may span lines). */
function readCsvRows(text: string): { columns: string[]; rows: GroupRow[] } {
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(text, { bom: true, raw: true, relax_column_count: true, skip_empty_lines: false }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new UnreadableImportError(`The CSV cannot be read: ${error.message}`);
    throw error;
  }
  // csv-parse's own line count is off for CRLF inside quotes, so lines are counted from the raw text.
  let line = 1;
  const located = records.map(({ record, raw }) => {
    const start = line;
    line += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
    return { line: start, record };
  });
  const nonEmpty = located.filter(({ record }) => record.length > 1 || (record[0] ?? '').trim() !== '');
  const header = nonEmpty.shift();
  if (!header) throw new UnreadableImportError('The CSV is empty: it needs a header row and at least one product row');
  const columns = header.record.map((c) => c.trim());
  checkColumns(columns);
  const rows = nonEmpty.map(({ line: rowLine, record }) => ({
    line: rowLine,
    cells: Object.fromEntries(columns.map((column, i) => [column, (record[i] ?? '').trim()])),
    extra: record.length - columns.length,
  }));
  return { columns, rows };
}

function checkColumns(columns: string[]): void {
  const unknown = columns.filter((c) => !KNOWN_COLUMNS.has(c) && !PREFIXED_COLUMN.test(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  const problems = [
    missing.length && `missing column(s): ${missing.join(', ')}`,
    unknown.length && `unknown column(s): ${unknown.join(', ')} (attributes are attr.<name>, options option.<name>)`,
    repeated.length && `repeated column(s): ${repeated.join(', ')}`,
  ].filter(Boolean);
  if (problems.length) throw new UnreadableImportError(`The CSV header is not an import header: ${problems.join('; ')}`);
}

/** Products of a CSV, in the order their handles first appear. */
export function readCsv(text: string): { candidates: ImportCandidate[]; rows: number } {
  const { columns, rows } = readCsvRows(text);
  const groups = new Map<string, GroupRow[]>();
  for (const row of rows) {
    const key = row.cells.handle || `#${row.line}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const candidates = [...groups.values()].map((group) => csvCandidate(group, columns));
  return { candidates, rows: rows.length };
}

/** A DTO path as the CSV names it: `variants.2.price.amount` -> `price_amount`. */
export function csvField(path: string): string {
  const parts = path.split('.');
  if (variantIndexOf(path) === undefined) return PRODUCT_FIELDS[parts[0] ?? ''] ?? (parts[0] as string);
  const rest = parts.slice(2).join('.');
  if (!rest) return 'sku';
  return VARIANT_FIELDS[rest] ?? VARIANT_FIELDS[parts[2] ?? ''] ?? rest;
}

function csvCandidate(group: GroupRow[], columns: string[]): ImportCandidate {
  const first = group[0] as GroupRow;
  const handle = first.cells.handle ?? '';
  const at = (row: CsvRow): Location => ({ line: row.line, ...(handle && { handle }), ...(row.cells.sku && { sku: row.cells.sku }) });
  const problem = (row: CsvRow, field: string, message: string): Problem => ({ at: at(row), field, message });
  const candidate: ImportCandidate = {
    handle,
    data: { ...productData(first.cells, columns), variants: group.map((row) => variantData(row.cells, columns)) },
    rows: group.length,
    problems: [],
    locate: (path) => ({ at: at(group[variantIndexOf(path) ?? 0] ?? first), field: csvField(path) }),
  };
  if (!handle) candidate.problems.push(problem(first, 'handle', 'handle is required: it groups the rows of one product and becomes its slug'));
  for (const row of group) {
    if (row.extra > 0) candidate.problems.push(problem(row, 'row', `the row has ${row.extra} more field(s) than the header`));
    if (row === first) continue;
    for (const column of columns.filter(isProductColumn)) {
      const value = row.cells[column];
      if (value && value !== first.cells[column]) {
        candidate.problems.push(problem(row, column, `differs from the product's first row (line ${first.line}); product columns are read from the first row only`));
      }
    }
  }
  return candidate;
}

const isProductColumn = (column: string) => (PRODUCT_COLUMNS as readonly string[]).includes(column) || column.startsWith('attr.');
const list = (cell: string | undefined) => (cell ? cell.split('|').map((v) => v.trim()).filter(Boolean) : undefined);
const optional = (cell: string | undefined) => cell || undefined;

/** Digits become numbers (a decimal too, which the DTO then rejects as not an integer); anything else stays text for the DTO to name. */
function numeric(cell: string | undefined): number | string | undefined {
  if (!cell) return undefined;
  return /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
}

function flag(cell: string | undefined): boolean | string | undefined {
  if (!cell) return undefined;
  const lower = cell.toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  return cell;
}

function prefixed(cells: Record<string, string>, columns: string[], prefix: string, value: (cell: string) => unknown): Record<string, unknown> | undefined {
  const entries = columns
    .filter((c) => c.startsWith(prefix) && cells[c])
    .map((c) => [c.slice(prefix.length), value(cells[c] as string)]);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The product part of a group's first row, shaped as ImportedProduct. */
export function productData(cells: Record<string, string>, columns: string[]): Record<string, unknown> {
  return withoutUndefined({
    slug: optional(cells.handle),
    name: cells.name ?? '',
    description: optional(cells.description),
    status: optional(cells.status),
    brand: optional(cells.brand),
    categories: list(cells.categories),
    attributes: prefixed(cells, columns, 'attr.', list),
    images: list(cells.image_urls)?.map((url) => ({ url })),
  });
}

/** One row's variant, shaped as VariantInput. */
export function variantData(cells: Record<string, string>, columns: string[]): Record<string, unknown> {
  const currency = cells.currency ?? '';
  const compareAt = numeric(cells.compare_at_amount);
  return withoutUndefined({
    sku: cells.sku ?? '',
    options: prefixed(cells, columns, 'option.', (v) => v),
    price: { amount: numeric(cells.price_amount), currency },
    compareAtPrice: compareAt === undefined ? undefined : { amount: compareAt, currency },
    weightGrams: numeric(cells.weight_grams),
    barcode: optional(cells.barcode),
    inStock: flag(cells.in_stock),
  });
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
