// Jest on Node 20 cannot `require()` an ES module (Node >= 24.9 can), yet some CommonJS packages
// we use do: @nestjs/throttler 6 requires Nest 12 (ESM-only), @fastify/static requires
// content-disposition 3 (ESM-only). Before the tests run, this writes an ESM copy of each such
// package under node_modules/.cache/ficus-esm/<name>, which jest's moduleNameMapper loads instead.
// Only tests use it; the built apps load the original packages through Node's require(esm).
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { builtinModules } = require('node:module');
const lexer = require('cjs-module-lexer');

const BRIDGED = ['@nestjs/throttler', '@fastify/static'];
const SKIP_DIRS = new Set(['node_modules', 'test', 'tests', 'example', 'examples', 'types', 'docs']);
const root = path.resolve(__dirname, '../../../..');
const cacheDir = path.join(root, 'node_modules/.cache/ficus-esm');

function isEsmDependency(id, fromDir) {
  if (id.startsWith('.')) return false; // converted alongside, exports `default = module.exports`
  if (id.startsWith('node:') || builtinModules.includes(id)) return false;
  let resolved;
  try {
    resolved = require.resolve(id, { paths: [fromDir] });
  } catch {
    return true; // only an `import` condition: an ES module
  }
  if (resolved.endsWith('.mjs')) return true;
  for (let dir = path.dirname(resolved); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
  }
  return false;
}

function toEsm(source, originalFile) {
  const { exports: names, reexports } = lexer.parse(source);
  const ids = [...new Set([...source.matchAll(/require\((['"])([^'"]+)\1\)/g)].map((m) => m[2]))];
  const fromDir = path.dirname(originalFile);
  const withExt = (id) => (id.startsWith('.') && !id.endsWith('.js') ? `${id}.js` : id);
  const imports = ids.map((id, i) => `import * as __dep${i} from ${JSON.stringify(withExt(id))};`);
  const table = ids
    .map((id, i) => `${JSON.stringify(id)}: ${isEsmDependency(id, fromDir) ? `__dep${i}` : `(__dep${i}.default ?? __dep${i})`}`)
    .join(', ');
  const exported = names.filter((n) => n !== '__esModule' && n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
  return [
    ...imports,
    `const __deps = { ${table} };`,
    'const require = (id) => __deps[id];',
    `const __filename = ${JSON.stringify(originalFile)}; const __dirname = ${JSON.stringify(fromDir)};`,
    'const module = { exports: {} }; let exports = module.exports;',
    source.replace(/^(['"])use strict\1;?/, ''),
    ...exported.map((n, i) => `const __export${i} = module.exports.${n}; export { __export${i} as ${n} };`),
    ...reexports.map((id) => `export * from ${JSON.stringify(withExt(id))};`),
    'export default module.exports;',
  ].join('\n');
}

function* sourceFiles(dir, base = dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) yield* sourceFiles(full, base);
    else if (entry.isFile() && entry.name.endsWith('.js') && !entry.name.endsWith('.config.js')) yield path.relative(base, full);
  }
}

function bridge(pkg) {
  const pkgDir = path.join(root, 'node_modules', pkg);
  const { version, main } = require(path.join(pkgDir, 'package.json'));
  const stampText = `${version} ${crypto.createHash('sha1').update(fs.readFileSync(__filename)).digest('hex')}`;
  const outDir = path.join(cacheDir, pkg);
  const stamp = path.join(outDir, '.version');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === stampText) return;
  fs.rmSync(outDir, { recursive: true, force: true });
  const srcDir = path.dirname(path.join(pkgDir, main ?? 'index.js'));
  for (const file of sourceFiles(srcDir)) {
    const target = path.join(outDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const original = path.join(srcDir, file);
    fs.writeFileSync(target, toEsm(fs.readFileSync(original, 'utf8'), original));
  }
  fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  fs.writeFileSync(stamp, stampText);
}

module.exports = async function esmBridge() {
  await lexer.init();
  BRIDGED.forEach(bridge);
};
