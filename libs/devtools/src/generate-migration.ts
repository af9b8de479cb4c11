/**
 * `npm run db:migration:generate -- <context>-<change>`: diffs the entities against the database
 * at DATABASE_URL and writes migrations/<timestamp>-<name>.ts.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const CONTEXTS = [
  'identity',
  'customers',
  'catalog',
  'search',
  'inventory',
  'pricing',
  'cart',
  'orders',
  'payments',
  'shipping',
  'notifications',
  'reviews',
  'platform',
] as const;

// The context prefix keeps the migrations folder readable by bounded context.
const NAME_PATTERN = new RegExp(`^(${CONTEXTS.join('|')})(-[a-z0-9]+)+$`);

const USAGE = `Usage: npm run db:migration:generate -- <context>-<change>

  <context>  one of: ${CONTEXTS.join(', ')}
  <change>   kebab-case words, lowercase letters and digits

  Example:   npm run db:migration:generate -- catalog-add-products
  Needs DATABASE_URL pointing at a database migrated to the latest migration.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.length !== 1) fail(args.length === 0 ? 'Missing migration name.' : `Expected one name, got ${args.length}: ${args.join(' ')}`);
  const name = args[0] ?? '';
  if (!NAME_PATTERN.test(name)) fail(`Invalid migration name "${name}": expected kebab-case <context>-<change>.`);
  if (!process.env.DATABASE_URL) fail('DATABASE_URL is not set: TypeORM compares the entities with that database.');

  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      '@swc-node/register/esm-register',
      'node_modules/typeorm/cli.js',
      'migration:generate',
      '--pretty',
      '-d',
      'migrations/data-source.ts',
      `migrations/${name}`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  child.once('error', (error) => {
    process.stderr.write(`Could not run the TypeORM CLI: ${error.message}\n`);
    process.exit(1);
  });
  // A signal-killed CLI exits like a shell would report it: 128 + signal number.
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1)));
}

main();
