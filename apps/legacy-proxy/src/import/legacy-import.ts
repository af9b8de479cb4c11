import { MultiBar, Presets } from 'cli-progress';
import { ImportMappings, type MappedKind } from './import-mappings.js';
import { type ImportApi, type ImportProgress, type ImportReport, LegacyImporter } from './legacy-importer.js';
import { readLegacy } from './legacy-source.js';

export interface LegacyImportOptions {
  apiUrl: string;
  /** The legacy shop's database (schema `legacy`). */
  legacyDatabaseUrl: string;
  /** The API's database: the import's own id map lives there (schema `legacy_import`). */
  databaseUrl: string;
  adminToken: string;
  exchangeSecret: string;
  progress?: ImportProgress;
}

/** Runs the import; `ok` is the count check: every legacy row of every kind is in the API. */
export async function legacyImport(options: LegacyImportOptions): Promise<{ report: ImportReport; ok: boolean }> {
  const data = await readLegacy(options.legacyDatabaseUrl);
  const mappings = await ImportMappings.open(options.databaseUrl);
  try {
    const importer = new LegacyImporter(httpApi(options.apiUrl, options.adminToken), mappings, options.exchangeSecret, options.progress ?? silent);
    const report = await importer.run(data);
    return { report, ok: Object.values(report).every((kind) => kind.imported === kind.legacy) };
  } finally {
    await mappings.close();
  }
}

const silent: ImportProgress = { start: () => undefined, tick: () => undefined, stop: () => undefined };

/** One bar per kind and pass (import, then the count check), on stderr. */
export function progressBars(): ImportProgress {
  const bars = new MultiBar({ format: ' {kind} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false, stream: process.stderr }, Presets.shades_classic);
  let bar: ReturnType<MultiBar['create']> | undefined;
  const seen = new Set<MappedKind>();
  return {
    start: (kind, total) => {
      const label = seen.has(kind) ? `${kind} check` : kind;
      seen.add(kind);
      bar = bars.create(total, 0, { kind: label.padEnd(14) });
    },
    tick: () => bar?.increment(),
    stop: () => bar?.stop(),
  };
}

function httpApi(baseUrl: string, token: string): ImportApi {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}
