/**
 * `npm run legacy:import [-- --api-url <url>]`: copies the legacy shop's categories, products,
 * customers and orders into the new contexts through the running API, with progress bars and a
 * count check. Exit 0 when every legacy row is in the API, 2 on a count mismatch, 1 on failure.
 * Needs FICUS_ADMIN_TOKEN (or FICUS_ADMIN_EMAIL + FICUS_ADMIN_PASSWORD), PROXY_EXCHANGE_SECRET,
 * LEGACY_DATABASE_URL and DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { legacyImport, progressBars } from './legacy-import.js';

const DEFAULT_DATABASE = 'postgres://postgres@127.0.0.1:5432/ficus';

async function adminToken(apiUrl: string): Promise<string> {
  if (process.env.FICUS_ADMIN_TOKEN) return process.env.FICUS_ADMIN_TOKEN;
  const { FICUS_ADMIN_EMAIL: email, FICUS_ADMIN_PASSWORD: password } = process.env;
  if (!email || !password) throw new Error('set FICUS_ADMIN_TOKEN, or FICUS_ADMIN_EMAIL and FICUS_ADMIN_PASSWORD (npm run admin:create makes an admin)');
  const response = await fetch(`${apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`admin login answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'api-url': { type: 'string' } }, strict: true });
  const apiUrl = (values['api-url'] ?? process.env.API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const exchangeSecret = process.env.PROXY_EXCHANGE_SECRET;
  if (!exchangeSecret) throw new Error('set PROXY_EXCHANGE_SECRET (the same as the API has): customers are linked through the token exchange');
  const { report, ok } = await legacyImport({
    apiUrl,
    legacyDatabaseUrl: process.env.LEGACY_DATABASE_URL ?? DEFAULT_DATABASE,
    databaseUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE,
    adminToken: await adminToken(apiUrl),
    exchangeSecret,
    progress: progressBars(),
  });
  for (const [kind, counts] of Object.entries(report)) {
    const mark = counts.imported === counts.legacy ? 'ok' : 'MISMATCH';
    process.stdout.write(`${kind.padEnd(9)} legacy ${counts.legacy}, in the API ${counts.imported}, created now ${counts.created}  ${mark}\n`);
  }
  return ok ? 0 : 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`legacy:import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
