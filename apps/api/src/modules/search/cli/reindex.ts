/**
 * `npm run search:reindex [-- --brand <id> | --category <id>]`. Without a scope: a full rebuild
 * beside the live index, which keeps answering searches and taking updates, and is replaced by the
 * new one atomically at the end. With a scope: the matching active products are re-read from the
 * catalog and upserted in place, page by page. Both with a progress line.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { systemContext } from '#contracts';
import { runCommand, withApiContext } from '../../../cli/api-command.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { brand: { type: 'string' }, category: { type: 'string' } }, strict: true });
  const scoped = values.brand !== undefined || values.category !== undefined;
  return withApiContext(async (app, env) => {
    const { SearchIndexer } = await import('../indexing/search-indexer.js');
    const indexer = app.get(SearchIndexer);
    const ctx = systemContext(randomUUID());
    const started = performance.now();
    const bar = new SingleBar({ format: `${scoped ? 'Indexing' : 'Rebuilding the index'}: {value} products | {duration_formatted}`, noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(0, 0);
    const progress = (n: number) => bar.update(n);
    const total = scoped
      ? await indexer.syncAll(ctx, { brandId: values.brand, categoryId: values.category }, progress)
      : await indexer.rebuildAll(ctx, progress);
    bar.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`${scoped ? 'Indexed' : 'Rebuilt the index with'} ${total} products (${env.SEARCH_ENGINE} engine) in ${seconds} s.\n`);
    return 0;
  });
}

runCommand('search:reindex', main);
