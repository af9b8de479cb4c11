/**
 * `npm run build:bundle` (part of `npm run build`, after tsc): bundles the API's tsc output
 * (dist/apps/api/src/main.js, decorator metadata already emitted) into one file,
 * dist/bundle/api/api.cjs, started by dist/bundle/api/main.js (api-bundle-loader.ts: a V8 code
 * cache), which `npm run start:api` and the Docker image run. Node 20 has no module compile cache:
 * resolving, reading and linking ~4,000 small modules was most of the boot.
 *
 * The bundle is CommonJS only so that the loader can hand V8 a code cache (Node 20 takes one for a
 * script, not for an ES module); it runs in strict mode like the ES modules it is made from, and
 * `import.meta` is passed in by the loader.
 *
 * node_modules are bundled in, except packages that are not safe to move away from their own folder:
 * see EXTERNAL. A package that is not installed (an optional peer that Nest, TypeORM or BullMQ tries
 * at run time) is left external too, so it fails at run time exactly as it does unbundled.
 */
import { build, type Plugin } from 'esbuild';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SourceMapLike, asciiOnly } from './ascii-bundle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const API_BUNDLE_ENTRY = 'dist/bundle/api/main.js';
export const API_BUNDLE_INPUT = 'dist/apps/api/src/main.js';

/**
 * The V8 flags the API runs with wherever it is started for real (`npm run start:api`, the Docker
 * image, the commerce benchmarks). A 32 MiB young generation (16 by default): a request's objects
 * live for its few milliseconds, and with the default many survived two scavenges into old space,
 * which then needed a mark-compact every few seconds. Same window, breaker-open checkouts at 200/s:
 * 3.1-3.5 ms of API CPU each with it, 3.3-3.9 without; p50 6-7 ms against 8-10.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=32'] as const;
const BUNDLE_FILE = 'api.cjs';
const LOADER = 'libs/devtools/src/api-bundle-loader.ts';

/** Packages loaded from node_modules at run time, and why. */
const EXTERNAL: Record<string, string> = {
  argon2: 'native addon (.node), located by node-gyp-build from its own folder',
  '@node-rs/xxhash': 'native addon (.node) in a per-platform package',
  msgpackr: 'loads its native extractor with a require relative to its own file',
  'msgpackr-extract': 'native addon',
  pino: 'transports run in worker threads that load files by path from pino\'s folder',
  'thread-stream': 'worker thread started from a file in its own folder',
  'pino-pretty': 'a pino transport (dev only)',
  'pg-native': 'optional native driver, loaded by name',
  'pg-query-stream': 'optional, loaded by name by TypeORM',
  'swagger-ui-dist': 'static files served from its folder (resolved by @nestjs/swagger at run time)',
};

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** EXTERNAL, plus any package that does not resolve from its importer (optional, not installed). */
const externals: Plugin = {
  name: 'ficus-externals',
  setup(b) {
    const missing = new Set<string>();
    b.onResolve({ filter: /^[^./#]/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      if (args.path.startsWith('node:') || packageName(args.path) in EXTERNAL) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length === 0) return resolved;
      missing.add(args.path);
      return { path: args.path, external: true };
    });
    b.onEnd(() => {
      if (missing.size) process.stdout.write(`bundle-api: not installed, left external: ${[...missing].sort().join(', ')}\n`);
    });
  },
};

/**
 * ESM packages that load their optional peers at run time through a `require` made by
 * `createRequire(import.meta.url)`, or through `import(name)`, would get a second copy of that peer
 * from node_modules: a second TypeORM whose DataSource is not the bundle's DI token (terminus's
 * database check), a second class-transformer whose metadata storage is empty (mapped types).
 * These rewrites make the loads visible to the bundler, so the bundle's own copy is used.
 */
const CREATE_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;
const TERMINUS_IMPORT = 'const pkg = await import(packageName);';

/** The peers terminus's indicators load by name, read from its files so a new indicator is covered. */
async function terminusPeers(checkPackageFile: string): Promise<string[]> {
  const dist = join(dirname(checkPackageFile), '..');
  const names = new Set<string>();
  for (const file of await readdir(dist, { recursive: true })) {
    if (!file.endsWith('.js')) continue;
    for (const match of (await readFile(join(dist, file), 'utf8')).matchAll(/\bloadPackage\('([^']+)'\)/g)) names.add(match[1]);
  }
  return [...names].sort();
}

/** Sources as the bundle saw them, where peerLoads rewrote them (for checkRuntimeLoads). */
const rewritten = new Map<string, string>();

/** ioredis reads its version from its package.json next to its own file (for CLIENT SETINFO): inlined. */
const IOREDIS_PACKAGE_READ = 'const data = await fs_1.promises.readFile(filePath, "utf8");';

const peerLoads: Plugin = {
  name: 'ficus-peer-loads',
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/]ioredis[\\/]built[\\/]utils[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(IOREDIS_PACKAGE_READ)) throw new Error(`${args.path}: the package.json read to inline is gone; review the bundle's peer loads`);
      const { version } = JSON.parse(await readFile(join(dirname(args.path), '..', '..', 'package.json'), 'utf8')) as { version: string };
      const contents = source.replace(IOREDIS_PACKAGE_READ, `const data = ${JSON.stringify(JSON.stringify({ version }))};`);
      rewritten.set(args.path, contents);
      return { contents, loader: 'js' };
    });
    b.onLoad({ filter: /node_modules[\\/]@nestjs[\\/].*\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      let changed = false;
      if (CREATE_REQUIRE.test(source) && !args.path.includes('/plugin/')) {
        // The free `require` is the bundler's: literal require() calls are bundled (or left to the
        // loader's require when external).
        source = source.replace(CREATE_REQUIRE, '');
        changed = true;
      }
      if (args.path.endsWith('/terminus/dist/utils/checkPackage.util.js')) {
        if (!source.includes(TERMINUS_IMPORT)) throw new Error(`${args.path}: the dynamic import to rewrite is gone; review the bundle's peer loads`);
        const cases = (await terminusPeers(args.path)).map((name) => `case ${JSON.stringify(name)}: return import(${JSON.stringify(name)});`).join(' ');
        source = source.replace(TERMINUS_IMPORT, `const pkg = await ((name) => { switch (name) { ${cases} default: return import(name); } })(packageName);`);
        changed = true;
      }
      if (!changed) return undefined;
      rewritten.set(args.path, source);
      return { contents: source, loader: 'js' };
    });
  },
};

/**
 * Loads by a computed name that remain in the bundle, each reviewed: a new one (a dependency update)
 * fails the build until it is looked at, since it may load a second copy of a bundled package or a
 * file that is not next to the bundle.
 */
const REVIEWED_RUNTIME_LOADS: Record<string, string> = {
  '@nestjs/common/utils/load-package.util.js': 'fallback when no loader is passed; every caller in the bundle passes one',
  '@nestjs/core/helpers/optional-require.js': 'fallback when no loader is passed; every caller passes one',
  '@nestjs/core/helpers/load-adapter.js': 'fallback when no loader is passed; every caller passes one',
  '@nestjs/terminus/dist/utils/checkPackage.util.js': 'fallback after the known peers (see peerLoads)',
  'typeorm/platform/PlatformTools.js': 'drivers by name: pg is passed as the `driver` option (databaseOptions), the others are not installed',
  'ioredis/built/Command.js': 'trims its own frames from error stacks by __dirname: cosmetic (the frames stay)',
  'ioredis/built/utils/index.js': 'its package.json path (__dirname): the read is inlined (peerLoads)',
  'typeorm/util/ImportUtils.js': 'entity/migration files by glob: the API registers entities as classes (autoLoadEntities)',
  'typeorm/connection/ConnectionOptionsReader.js': 'ormconfig files: the API passes its options',
  'bullmq/dist/cjs/classes/child.js': 'sandboxed processor files: the API runs its processors in-process',
  'bullmq/dist/cjs/classes/worker.js': 'sandboxed processor files (__filename): not used by the API',
  'bullmq/dist/cjs/classes/child-processor.js': 'sandboxed processor files: not used by the API',
  'fast-json-stringify/lib/standalone.js': 'require() inside generated source text (standalone mode, not used by fastify)',
  '@nestjs/terminus/dist/health-indicator/microservice/grpc.health.js': 'the gRPC check\'s .proto file (import.meta.dirname): the API has no gRPC check',
  'file-type/source/index.js': 'strtok3 for fromFile() only, stateless; Nest\'s FileTypeValidator reads buffers',
};

/**
 * Fails when a bundled module has a computed import()/require() or uses __dirname/__filename, unless
 * reviewed above. Reads the bundle's inputs (the output is minified); a module that tree-shaking
 * dropped may be reported too, which only asks for one more review line.
 */
async function checkRuntimeLoads(inputs: string[]): Promise<void> {
  const unreviewed: string[] = [];
  const computed = /(?<![\w$.])(?:import|require)\s*\((?!\s*["'`)])|(?<![\w$.])__(?:dirname|filename)\b|import\.meta\.(?:dirname|filename)/;
  for (const input of inputs) {
    const module = input.replace(/^.*node_modules\//, '');
    if (module === input || module in REVIEWED_RUNTIME_LOADS) continue;
    const path = join(ROOT, input);
    const lines = (rewritten.get(path) ?? (await readFile(path, 'utf8'))).split('\n');
    for (const [index, line] of lines.entries()) {
      const code = line.replace(/\/\/.*$/, '');
      if (computed.test(code) && !/^\s*\*/.test(code)) unreviewed.push(`${module}:${index + 1}: ${line.trim().slice(0, 120)}`);
    }
  }
  if (unreviewed.length) {
    throw new Error(`bundled modules load code by a computed name or from their own folder in places not reviewed (see REVIEWED_RUNTIME_LOADS in ${relative(ROOT, fileURLToPath(import.meta.url))}):\n${unreviewed.join('\n')}`);
  }
}

/**
 * esbuild's keepNames helper, as it emits it, and its replacement. keepNames wraps every named
 * function, arrows included, in `__name(fn, "name")`, an Object.defineProperty on the function; for
 * a closure made per request (many in Nest, Fastify and the platform) that ran on every request and
 * left the function with a name property of its own, slower to call and to read through (8 µs of
 * the API's ~75 µs per `GET /health/live`). The names that are read (Nest, TypeORM, Swagger,
 * class-transformer) are those of classes, and of plain functions at most: only what has a
 * `prototype` and a name other than its own is named (a class the bundle renamed, `Order2` for
 * `Order`). The name is compared first: reading `prototype` of a plain function makes V8 allocate
 * its prototype object, which for Fastify's per-request `next` closures cost 6 % of the API's CPU
 * on `GET /health/live`. The text keeps its length (the padding), so the source map stays exact.
 */
const NAME_HELPER = {
  emitted: 'var __getProtoOf=Object.getPrototypeOf,__hasOwnProp=Object.prototype.hasOwnProperty;var __name=(target,value)=>__defProp(target,"name",{value,configurable:!0});',
  // ({}.hasOwnProperty is Object.prototype.hasOwnProperty, shorter, to make room.)
  replacement: 'var __getProtoOf=Object.getPrototypeOf,__hasOwnProp={}.hasOwnProperty,__name=(t,v)=>t.name!==v&&t.prototype?__defProp(t,"name",{value:v,configurable:!0}):t;',
};

/** Fails when esbuild's helper changed: the replacement is then to be reviewed, not skipped. */
export function nameClassesOnly(bundle: string): string {
  const at = bundle.indexOf(NAME_HELPER.emitted);
  if (at < 0 || bundle.indexOf(NAME_HELPER.emitted, at + 1) >= 0) {
    throw new Error('bundle-api: esbuild\'s keepNames helper is not the one nameClassesOnly() replaces; review NAME_HELPER');
  }
  const replacement = NAME_HELPER.replacement.padEnd(NAME_HELPER.emitted.length, ' ');
  return bundle.slice(0, at) + replacement + bundle.slice(at + NAME_HELPER.emitted.length);
}

export async function bundleApi(): Promise<void> {
  // Built beside the live folder and swapped in at the end: an API or a bench starting meanwhile
  // finds the previous bundle, never a half-written one.
  const live = join(ROOT, dirname(API_BUNDLE_ENTRY));
  const outdir = `${live}.next-${process.pid}`;
  await rm(outdir, { recursive: true, force: true });
  const started = performance.now();
  let result;
  try {
    result = await build({
      absWorkingDir: ROOT,
      entryPoints: [API_BUNDLE_INPUT],
      outfile: join(outdir, BUNDLE_FILE),
      bundle: true,
      // One file, no chunks: a lazy import() stays lazy (the Elasticsearch engine, the Redis cache
      // store are evaluated only when imported) without a chunk per import, which for a CommonJS
      // package would export only `default` (Nest's ValidationPipe then finds no plainToInstance).
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // import() of what is bundled becomes a require() inside a promise; of an external, a require too
      // (the externals are CommonJS), so the code cache's script needs no module loader.
      supported: { 'dynamic-import': false },
      define: {
        'import.meta.url': '__ficusImportMetaUrl',
        'import.meta.resolve': '__ficusImportMetaResolve',
        'import.meta.dirname': '__dirname',
        'import.meta.filename': '__filename',
      },
      // Nest, TypeORM, Swagger and class-transformer read class names (tokens, entity and schema names);
      // the bundle renames classes that clash across files, keepNames restores their .name.
      keepNames: true,
      // Smaller text to read and parse at every start; identifiers stay (see keepNames).
      minifyWhitespace: true,
      minifySyntax: true,
      // Not the root tsconfig: its "source" condition would pull in .ts sources instead of dist/.
      tsconfigRaw: {},
      // The tsc output's own maps are chained: stack traces under --enable-source-maps point at the .ts.
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
      plugins: [externals, peerLoads],
    });
    await build({
      absWorkingDir: ROOT,
      entryPoints: [LOADER],
      outfile: join(outdir, 'main.js'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    const bundleFile = join(outdir, BUNDLE_FILE);
    const ascii = asciiOnly(nameClassesOnly(await readFile(bundleFile, 'utf8')), JSON.parse(await readFile(`${bundleFile}.map`, 'utf8')) as SourceMapLike);
    await writeFile(bundleFile, ascii.code);
    await writeFile(`${bundleFile}.map`, JSON.stringify(ascii.map));
    await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
    await checkRuntimeLoads(Object.keys(result.metafile.inputs));
  } catch (error) {
    await rm(outdir, { recursive: true, force: true });
    throw error;
  }
  const old = `${live}.old-${process.pid}`;
  await rename(live, old).catch(() => undefined);
  await rename(outdir, live);
  await rm(old, { recursive: true, force: true });
  const bytes = Object.entries(result.metafile.outputs).reduce((sum, [file, o]) => sum + (file.endsWith('.map') ? 0 : o.bytes), 0);
  process.stdout.write(
    `bundle-api: ${API_BUNDLE_ENTRY} and ${BUNDLE_FILE}, ${(bytes / 1024 / 1024).toFixed(1)} MiB from ${Object.keys(result.metafile.inputs).length} modules ` +
      `in ${Math.round(performance.now() - started)} ms (externals: ${Object.keys(EXTERNAL).join(', ')})\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundleApi().catch((error: unknown) => {
    process.stderr.write(`bundle-api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
