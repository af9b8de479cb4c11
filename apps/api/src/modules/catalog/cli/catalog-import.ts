/**
 * `npm run catalog:import -- --file <path> [--format csv|json|ndjson] [--dry-run] [--report <out.json>]`:
 * imports products through the same checks and writes as `POST /admin/catalog/imports`, with a
 * progress bar. Exit code 0 when every product was imported, 2 when some were rejected, 1 on failure.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { systemContext } from '#contracts';
import { runCommand, withApiContext } from '../../../cli/api-command.js';
import { IMPORT_FORMATS, type ImportFormat, type ImportReport, type RejectedLine } from '../import/import-report.js';

const USAGE = 'Usage: npm run catalog:import -- --file <path> [--format csv|json|ndjson] [--dry-run] [--report <out.json>]';
const SHOWN_REJECTIONS = 20;
const EXTENSIONS: Record<string, ImportFormat> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

class UsageError extends Error {}

function options(): { file: string; format: ImportFormat; dryRun: boolean; report?: string } {
  let values;
  try {
    ({ values } = parseArgs({
      options: { file: { type: 'string' }, format: { type: 'string' }, 'dry-run': { type: 'boolean' }, report: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.file) throw new UsageError('--file is required');
  if (!existsSync(values.file)) throw new UsageError(`no file at ${values.file}`);
  const format = values.format ?? EXTENSIONS[extname(values.file).toLowerCase()];
  if (!format) throw new UsageError(`cannot tell the format of ${values.file} from its extension: give --format`);
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${format}`);
  return { file: values.file, format: format as ImportFormat, dryRun: values['dry-run'] ?? false, report: values.report };
}

const describe = (r: RejectedLine) => {
  const place = [r.line !== undefined && `line ${r.line}`, r.index !== undefined && `index ${r.index}`].filter(Boolean).join(', ');
  const what = [r.handle, r.sku].filter(Boolean).join(' / ');
  return `  ${place}${what ? ` (${what})` : ''}: ${r.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
};

function summary(report: ImportReport, seconds: number, reportFile?: string): string {
  const { created, updated, rejected } = report.products;
  const lines = [
    `${report.dryRun ? 'Dry run (nothing written): would create' : 'Created'} ${created}, ${report.dryRun ? 'update' : 'updated'} ${updated}, rejected ${rejected} products; ${report.rows} ${report.format === 'csv' ? 'rows' : 'products'} read in ${seconds.toFixed(1)} s.`,
  ];
  if (report.rejected.length) {
    lines.push(`${report.rejected.length} bad line(s):`, ...report.rejected.slice(0, SHOWN_REJECTIONS).map(describe));
    const more = report.rejected.length - SHOWN_REJECTIONS;
    if (more > 0) lines.push(`  ... and ${more} more${reportFile ? ` in ${reportFile}` : ' (all of them with --report <out.json>)'}`);
  }
  if (reportFile) lines.push(`Report written to ${reportFile}.`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  let args;
  try {
    args = options();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`catalog:import: ${error.message}\n${USAGE}\n`);
    return 1;
  }
  const text = await readFile(args.file, 'utf8');
  return withApiContext(async (app) => {
    const { CatalogImportService } = await import('../import/catalog-import.service.js');
    const started = performance.now();
    const bar = new SingleBar({ format: 'Importing: [{bar}] {value}/{total} rows | {duration_formatted}', noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(0, 0);
    const report = await app.get(CatalogImportService).importText(systemContext(randomUUID(), ['system', 'admin']), args.format, text, {
      dryRun: args.dryRun,
      onProgress: (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      },
    });
    bar.stop();
    if (args.report) await writeFile(args.report, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(summary(report, (performance.now() - started) / 1000, args.report));
    return report.rejected.length ? 2 : 0;
  });
}

runCommand('catalog:import', main);
