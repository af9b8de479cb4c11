/**
 * `npm run search:reindex [-- --brand <id> | --category <id>]`: re-reads every active product from
 * the catalog and upserts its search document, page by page, with a progress line. The API can keep
 * serving searches meanwhile: each page is an idempotent upsert.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { systemContext } from '#contracts';
import { runCommand, withApiContext } from '../../../cli/api-command.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { brand: { type: 'string' }, category: { type: 'string' } }, strict: true });
  return withApiContext(async (app, env) => {
    const { SearchIndexer } = await import('../indexing/search-indexer.js');
  const started = performance.now();
  const bar = new SingleBar({ format: 'Indexing products: {value} indexed | {duration_formatted}', noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(0, 0);
    const total = await app.get(SearchIndexer).syncAll(systemContext(randomUUID()), { brandId: values.brand, categoryId: values.category }, (n) => bar.update(n));
    bar.stop();
    process.stdout.write(`Indexed ${total} products with the ${env.SEARCH_ENGINE} engine in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  });
}

runCommand('search:reindex', main);
