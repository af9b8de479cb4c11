import { Injectable } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { DomainError } from '#platform';
import type { ProductInput, ProductUpdate } from '../dto/product.dto.js';
import { ProductsService } from '../products.service.js';
import { readCsv } from './csv-import.reader.js';
import { type ImportCandidate, type Problem, problemAt, rejectedLines } from './import-candidate.js';
import { type CheckedProduct, checkCandidates } from './import-checks.js';
import { ImportLookupsRepository } from './import-lookups.repository.js';
import type { ImportFormat, ImportProgress, ImportReport } from './import-report.js';
import { UnreadableImportError } from './import.errors.js';
import { parseJsonText, readJson, readNdjson } from './json-import.reader.js';

/** Products written at once: enough to overlap round trips, few enough to leave the pool to the API. */
const CONCURRENT_WRITES = 4;

const MEDIA_TYPES: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/json': 'json', 'application/x-ndjson': 'ndjson' };
export const IMPORT_MEDIA_TYPES = Object.keys(MEDIA_TYPES);

export interface ImportOptions {
  dryRun?: boolean;
  onProgress?: ImportProgress;
}

function readText(format: ImportFormat, text: string): { candidates: ImportCandidate[]; rows: number } {
  if (format === 'csv') return readCsv(text);
  if (format === 'ndjson') return readNdjson(text);
  return readJson(parseJsonText(text), text);
}

/** Only the fields the file gives change; the slug is how the product was found, so it stays. */
function updateOf(input: ProductInput): ProductUpdate {
  const { slug: _slug, variants: _variants, ...fields } = input;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ProductUpdate;
}

/**
 * Bulk import of products from CSV, JSON or NDJSON. Every product is checked first (DTO rules,
 * references, SKUs); good ones are written one transaction each through ProductsService, so each
 * publishes its catalog event; a product with any bad line is reported and not written at all.
 */
@Injectable()
export class CatalogImportService {
  constructor(
    private readonly lookups: ImportLookupsRepository,
    private readonly products: ProductsService,
  ) {}

  /** An HTTP body: JSON arrives parsed by the platform's parser, CSV and NDJSON as text. */
  importBody(ctx: CallContext, contentType: string | undefined, body: unknown, options: ImportOptions): Promise<ImportReport> {
    const format = MEDIA_TYPES[(contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''];
    if (!format) throw new UnreadableImportError(`Send the file as ${IMPORT_MEDIA_TYPES.join(', ')}`);
    if (format === 'json') return this.run(ctx, format, readJson(body), options);
    return this.importText(ctx, format, typeof body === 'string' ? body : '', options);
  }

  importText(ctx: CallContext, format: ImportFormat, text: string, options: ImportOptions = {}): Promise<ImportReport> {
    return this.run(ctx, format, readText(format, text), options);
  }

  private async run(ctx: CallContext, format: ImportFormat, read: { candidates: ImportCandidate[]; rows: number }, options: ImportOptions): Promise<ImportReport> {
    let done = 0;
    const advance = (rows: number) => options.onProgress?.((done += rows), read.rows);
    const { good, problems } = await checkCandidates(read.candidates, this.lookups);
    advance([...problems.keys()].reduce((sum, c) => sum + c.rows, 0));
    const report: ImportReport = { format, dryRun: options.dryRun ?? false, products: { created: 0, updated: 0, rejected: 0 }, rows: read.rows, rejected: [] };
    const refused: Problem[] = [...problems.values()].flat();
    const write = async (product: CheckedProduct) => {
      const problem = options.dryRun ? null : await this.write(ctx, product);
      if (problem) refused.push(problem);
      else report.products[product.existingId ? 'updated' : 'created']++;
      advance(product.candidate.rows);
    };
    const queue = [...good];
    await Promise.all(Array.from({ length: CONCURRENT_WRITES }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await write(next);
    }));
    report.products.rejected = read.candidates.length - report.products.created - report.products.updated;
    report.rejected = rejectedLines(refused);
    return report;
  }

  /** A refusal from the catalog (a SKU or slug taken meanwhile, another currency than the product's) rejects the product. */
  private async write(ctx: CallContext, { candidate, input, existingId }: CheckedProduct): Promise<Problem | null> {
    try {
      if (existingId) await this.products.update(ctx, existingId, updateOf(input), input.variants);
      else await this.products.create(ctx, input);
      return null;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const sku = error.extensions.sku;
      const index = input.variants.findIndex((v) => v.sku === sku);
      const path = index >= 0 ? `variants.${index}.sku` : error.code === 'CATALOG.MIXED_CURRENCIES' ? 'variants.0.price.currency' : 'slug';
      return problemAt(candidate, path, error.message);
    }
  }
}
