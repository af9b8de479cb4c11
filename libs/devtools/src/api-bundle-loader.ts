/**
 * dist/bundle/api/main.js: starts the API bundle (api.cjs beside it, see bundle-api.ts) with a V8
 * code cache, which Node 20 does not keep for modules (Node 22's module compile cache does the same).
 * The first start compiles as usual and, once the app listens (or after 10 s up, or at a clean exit),
 * writes the bytecode V8 has compiled by then; the next start reads it instead of compiling what the boot runs (a third of the
 * boot's CPU here). V8 rejects a cache made for other source, another V8 or other flags; it is then
 * compiled as without one, and written anew. The file is named by the Node version, architecture,
 * bundle path and node flags.
 *
 * FICUS_CODE_CACHE_DIR: where (default: a folder of this user's in the OS temp dir); `off` disables
 * it. A folder that is not this user's alone is not used.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('./api.cjs', import.meta.url));
/** run-app.ts's BOOTED_EVENT (the loader is built on its own, without the platform). */
const BOOTED_EVENT = 'ficus:booted';
const uid = process.getuid?.() ?? -1;
const setting = process.env.FICUS_CODE_CACHE_DIR;
const cacheDir = setting === 'off' ? null : setting || join(tmpdir(), `ficus-code-cache-${uid}`);
// V8 rejects a cache made under other flags (a profiling run, another heap size) or for another
// bundle: each bundle path and set of node flags keeps a file of its own, so two checkouts started
// in turn (an A/B benchmark) or starts with different flags do not overwrite each other's cache.
const flags = createHash('sha256').update(`${bundle}\n${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`).digest('hex').slice(0, 8);
const cacheFile = cacheDir && join(cacheDir, `api-${process.version}-${process.arch}-${flags}.v8cache`);

/** The cache folder, when it is this user's alone (nobody else may plant bytecode in it). */
function privateDir(create: boolean): boolean {
  if (!cacheDir) return false;
  try {
    if (create) mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const stat = statSync(cacheDir);
    return stat.isDirectory() && (uid === -1 || stat.uid === uid) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

let cachedData: Buffer | undefined;
if (cacheFile && privateDir(false)) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
}

// The build makes the bundle ASCII only (ascii-bundle.ts): read as latin1, a plain copy, where
// decoding 10 MiB of UTF-8 took a tenth of the boot. A bundle that is not is decoded as UTF-8.
const bytes = readFileSync(bundle);
const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
// The outer arrow is compiled at once (it is called at once); the bundle's function is only
// pre-parsed, as a module's body would be. Strict, as the ES modules it was made from.
const script = new vm.Script(
  `(() => function (exports, require, module, __filename, __dirname, __ficusImportMetaUrl, __ficusImportMetaResolve) {"use strict";${source}\n})()`,
  { filename: bundle, cachedData },
);
const start = script.runInThisContext() as (...args: unknown[]) => void;

if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    try {
      if (!privateDir(true)) return;
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, cacheFile);
    } catch {
      // a start without a cache is only slower
    }
  };
  // Once the app listens (run-app.ts emits BOOTED_EVENT): the cache then holds the boot, and the
  // write, 100-300 ms on the main thread for 8 MB, happens before traffic rather than under it.
  process.once(BOOTED_EVENT, () => setImmediate(write));
  setTimeout(write, 10_000).unref();
  // Not after a failed start: its cache would hold only the part of the boot that ran.
  process.once('exit', (code) => code === 0 && write());
}

const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
start.call(
  module.exports,
  module.exports,
  createRequire(bundle),
  module,
  bundle,
  dirname(bundle),
  pathToFileURL(bundle).href,
  (specifier: string) => import.meta.resolve(specifier),
);
