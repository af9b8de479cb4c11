// `npm run bench:catalog [-- --only search,detail,browse,reindex] [--duration 20] [--no-build]`
//
// Catalog and search at 100,000 products (issue 4's numbers), against the built API on PostgreSQL
// and Redis of this machine. The database (DATABASE_URL, default ficus_bench) is migrated and
// seeded with 100,000 products first when it has fewer. Every API start gets a Redis prefix of its
// own, so each section starts with a cold cache.
//
// search   Mixed realistic queries (3,000 distinct, drawn by Zipf popularity, s = 1): one word, two
//          words, whole names, quoted phrases, exclusions, typos, category / brand / price filters,
//          other sorts and pages. 1 client: p50 and p99 of 2,000 queries after 300 of warm-up;
//          16 clients: queries/s and p99. Suggestions: p50 at 1 client. Twice: with the search
//          cache (the default) and with SEARCH_CACHE=off (the PostgreSQL engine alone).
// detail   GET /products/:slug from the cache (200 warmed products) against GET /health/live in the
//          same run (autocannon, 50 connections, alternating rounds); uncached detail beside it
//          (every request a product not read before).
// browse   Shoppers' sessions (16 at a time): a category listing (popular categories more often,
//          page 1 mostly, some sorts and brand filters), then 1-3 products from it, the category
//          tree now and then, and 20 % landing on any product directly (Zipf over all 100,000).
//          Share of catalog reads answered without a database query, from cache_reads_total, in
//          the steady state: counted after a warm-up of --duration seconds, over 1.5 times that.
// reindex  A full rebuild (npm run search:reindex) while 4 clients search without the cache; the
//          rebuild's time, failed searches, search latency meanwhile, and the atomic switch: 1,000
//          products renamed in the catalog behind the index's back are found 0 times until the
//          swap and 1,000 times after it, never a part.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { type ApiServer, closedLoop, metric, percentile, seeded, startApiServer, timedGet, zipf } from './lib/api-server.js';
import { benchSigningKeyFile, median } from './lib/proc-cpu.js';
import { ensureDatabase } from './lib/shop.js';

const ROOT = process.cwd();
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/ficus_bench';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PRODUCTS = 100_000;
const SECTIONS = ['search', 'detail', 'browse', 'reindex'] as const;

const { values: args } = parseArgs({
  options: { only: { type: 'string' }, duration: { type: 'string', default: '20' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const only = new Set((args.only?.split(',') ?? SECTIONS) as (typeof SECTIONS)[number][]);
const DURATION_S = Number(args.duration);
const report: string[] = [];
const say = (line = '') => {
  report.push(line);
  process.stdout.write(`${line}\n`);
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

function run(command: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${argv.join(' ')} exited ${code}`))));
  });
}

const apiEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  DATABASE_URL,
  REDIS_URL,
  REDIS_KEY_PREFIX: `ficus-bench:${randomUUID().slice(0, 8)}:`,
  JWT_SIGNING_KEY_FILE: benchSigningKeyFile(ROOT),
  THROTTLE_LIMIT: '100000000',
  DATABASE_POOL_MAX: '20',
  ...extra,
});

// ---------------------------------------------------------------- workload data, from the catalog

interface Catalog {
  slugs: string[];
  names: string[];
  categories: { slug: string; depth: number }[];
  brands: string[];
  colors: string[];
}

async function prepare(db: pg.Client): Promise<Catalog> {
  const count = Number((await db.query(`SELECT count(*) FROM catalog.products WHERE status = 'active'`)).rows[0].count);
  if (count < PRODUCTS) {
    say(`The catalog has ${count} active products: seeding ${PRODUCTS} (and indexing them) first.`);
    await run('npm', ['run', '--silent', 'seed', '--', '--products', String(PRODUCTS), '--reset'], apiEnv());
  }
  const rows = (await db.query(`SELECT slug, name FROM catalog.products WHERE status = 'active' ORDER BY id`)).rows as { slug: string; name: string }[];
  const categories = (await db.query(`SELECT slug, array_length(string_to_array(path, '/'), 1) AS depth FROM catalog.categories ORDER BY path`)).rows;
  const brands = (await db.query('SELECT slug FROM catalog.brands ORDER BY slug')).rows.map((r) => r.slug as string);
  const colors = (await db.query(`SELECT DISTINCT jsonb_array_elements_text(attributes->'color') AS c FROM catalog.products LIMIT 50`)).rows.map((r) => r.c as string);
  return { slugs: rows.map((r) => r.slug), names: rows.map((r) => r.name), categories, brands, colors };
}

/** 3,000 distinct search queries of the shapes shoppers type, in a seeded shuffle of popularity. */
function searchQueries(catalog: Catalog, random: () => number): string[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const words = (name: string) => name.toLowerCase().split(/\s+/);
  const typo = (word: string) => {
    const i = 1 + Math.floor(random() * (word.length - 2));
    return word.slice(0, i) + word.slice(i + 1);
  };
  const shapes: [number, () => Record<string, string>][] = [
    [25, () => ({ q: pick(words(pick(catalog.names))) })],
    [25, () => ({ q: words(pick(catalog.names)).slice(-2).join(' ') })],
    [10, () => ({ q: pick(catalog.names).toLowerCase() })],
    [5, () => ({ q: `"${words(pick(catalog.names)).slice(0, 2).join(' ')}"` })],
    [5, () => ({ q: `${pick(words(pick(catalog.names)))} -${pick(words(pick(catalog.names)))}` })],
    [8, () => ({ q: typo(words(pick(catalog.names)).at(-1)!) })],
    [10, () => ({ q: pick(words(pick(catalog.names))), category: pick(catalog.categories.filter((c) => c.depth <= 2)).slug })],
    [4, () => ({ q: words(pick(catalog.names)).at(-1)!, brand: pick(catalog.brands), minPrice: '1000', maxPrice: '20000' })],
    [4, () => ({ category: pick(catalog.categories).slug, sort: pick(['price_asc', 'newest', 'rating']) })],
    [4, () => ({ q: words(pick(catalog.names)).at(-1)!, 'attr.color': pick(catalog.colors), sort: 'price_asc', page: String(1 + Math.floor(random() * 3)) })],
  ];
  const weights = shapes.reduce((sum, [w]) => sum + w, 0);
  const queries = new Set<string>();
  while (queries.size < 3000) {
    let roll = random() * weights;
    const shape = shapes.find(([w]) => (roll -= w) < 0)![1];
    queries.add(`/api/v1/search?${new URLSearchParams(shape())}`);
  }
  return [...queries];
}

// ---------------------------------------------------------------- sections

async function searchSection(catalog: Catalog): Promise<void> {
  const queries = searchQueries(catalog, seeded(42));
  const suggestions = catalog.names.slice(0, 3000).map((name, i) => `/api/v1/search/suggest?${new URLSearchParams({ q: name.slice(0, 2 + (i % 12)) })}`);
  say('## Search, PostgreSQL engine, 100,000 products');
  say();
  say('| search cache | 1 client p50 | 1 client p99 | 16 clients q/s | 16 clients p99 | failed | suggest p50 (1 client) |');
  say('|---|---|---|---|---|---|---|');
  for (const cache of ['on', 'off']) {
    const api = await startApiServer(ROOT, apiEnv({ SEARCH_CACHE: cache }));
    const draw = zipf(queries.length, 1, seeded(7));
    const next = () => timedGet(`${api.url}${queries[draw()]}`);
    for (let i = 0; i < 300; i++) await next();
    const single: number[] = [];
    for (let i = 0; i < 2000; i++) single.push((await next()).ms);
    single.sort((a, b) => a - b);
    const loaded = await closedLoop(16, DURATION_S * 1000, next);
    const drawSuggestion = zipf(suggestions.length, 1, seeded(9));
    const suggest: number[] = [];
    for (let i = 0; i < 1000; i++) suggest.push((await timedGet(`${api.url}${suggestions[drawSuggestion()]}`)).ms);
    suggest.sort((a, b) => a - b);
    say(
      `| ${cache} | ${fmt(percentile(single, 50))} ms | ${fmt(percentile(single, 99))} ms | ${loaded.perSecond.toFixed(0)} | ` +
        `${fmt(percentile(loaded.latencies, 99))} ms | ${loaded.failures.length} | ${fmt(percentile(suggest, 50))} ms |`,
    );
    await api.stop();
  }
  say();
  say('Targets (cache on, the default): 1 client p50 < 10 ms and p99 < 40 ms; 16 clients >= 500 q/s with p99 < 80 ms; suggest p50 < 10 ms.');
  say();
}

async function autocannonRps(url: string, requests?: autocannon.Request[]): Promise<number> {
  const result = await autocannon({ url, connections: 50, duration: DURATION_S / 2, requests });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

async function detailSection(catalog: Catalog): Promise<void> {
  const api = await startApiServer(ROOT, apiEnv());
  const popular = catalog.slugs.slice(0, 200).map((slug) => `/api/v1/products/${slug}`);
  for (const path of popular) await timedGet(`${api.url}${path}`);
  let unread = 200;
  const fresh: autocannon.Request = { setupRequest: (request) => ({ ...request, path: `/api/v1/products/${catalog.slugs[unread++ % catalog.slugs.length]}` }) };
  const rounds: { live: number; cached: number; uncached: number }[] = [];
  for (let round = 0; round < 2; round++) {
    const live = await autocannonRps(`${api.url}/health/live`);
    const cached = await autocannonRps(api.url, popular.map((path) => ({ path })));
    const uncached = await autocannonRps(api.url, [fresh]);
    rounds.push({ live, cached, uncached });
  }
  await api.stop();
  const live = median(rounds.map((r) => r.live));
  const cached = median(rounds.map((r) => r.cached));
  const uncached = median(rounds.map((r) => r.uncached));
  say('## Product detail, req/s (autocannon, 50 connections, median of 2 alternating rounds)');
  say();
  say('| GET /health/live | GET /products/:slug cached | share of /health/live | uncached (never read before) |');
  say('|---|---|---|---|');
  say(`| ${live.toFixed(0)} | ${cached.toFixed(0)} | ${((cached / live) * 100).toFixed(1)} % | ${uncached.toFixed(0)} (${((uncached / live) * 100).toFixed(1)} %) |`);
  say();
  say('Target: cached detail >= 60 % of /health/live.');
  say();
}

async function browseSection(catalog: Catalog): Promise<void> {
  const api = await startApiServer(ROOT, apiEnv());
  const random = seeded(11);
  const categoryRank = zipf(catalog.categories.length, 1, random);
  const productRank = zipf(catalog.slugs.length, 1, random);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  let reads = 0;
  const get = async (path: string) => {
    const response = await timedGet(`${api.url}/api/v1${path}`);
    reads++;
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return response;
  };
  const session = async () => {
    if (random() < 0.2) return get(`/products/${catalog.slugs[productRank()]}`);
    if (random() < 0.1) await get('/categories');
    const category = catalog.categories[categoryRank()]!.slug;
    const query = new URLSearchParams({ category, pageSize: '24' });
    if (random() < 0.3) query.set('sort', pick(['price_asc', 'price_desc', 'rating']));
    if (random() < 0.2) query.set('page', String(2 + Math.floor(random() * 2)));
    if (random() < 0.1) query.set('brand', pick(catalog.brands));
    const listing = JSON.parse((await get(`/products?${query}`)).body) as { items: { slug: string }[] };
    const views = 1 + Math.floor(random() * 3);
    for (let i = 0; i < views && listing.items.length > 0; i++) {
      // Shoppers open the first results far more often than the last.
      const position = Math.min(listing.items.length - 1, Math.floor(Math.pow(random(), 2) * listing.items.length));
      await get(`/products/${listing.items[position]!.slug}`);
    }
    return { status: 200, ms: 0 };
  };
  // Warm-up, not counted: the share is a property of the steady state, not of a cold start.
  await closedLoop(16, DURATION_S * 1000, session);
  reads = 0;
  const before = await cacheReads(api);
  const queriesBefore = await metric(api.url, 'db_queries_total');
  const started = performance.now();
  const loop = await closedLoop(16, DURATION_S * 1500, session);
  const seconds = (performance.now() - started) / 1000;
  const after = await cacheReads(api);
  const queries = (await metric(api.url, 'db_queries_total')) - queriesBefore;
  await api.stop();
  const hit = after.hit - before.hit;
  const shared = after.shared - before.shared;
  const miss = after.miss - before.miss;
  say(`## Mixed browsing: share of catalog reads answered without a database query (16 shoppers, ${seconds.toFixed(0)} s after ${DURATION_S} s of warm-up)`);
  say();
  say('| catalog reads | hit | shared (single flight) | miss | without the database | DB statements per read | failed |');
  say('|---|---|---|---|---|---|---|');
  say(`| ${reads} (${(reads / seconds).toFixed(0)}/s) | ${hit} | ${shared} | ${miss} | ${(((hit + shared) / (hit + shared + miss)) * 100).toFixed(1)} % | ${(queries / reads).toFixed(2)} | ${loop.failures.length} |`);
  say();
  say('Target: at least 90 % (the old shop: 78 %).');
  say();
}

async function cacheReads(api: ApiServer) {
  return {
    hit: await metric(api.url, 'cache_reads_total', 'cache="catalog",result="hit"'),
    shared: await metric(api.url, 'cache_reads_total', 'cache="catalog",result="shared"'),
    miss: await metric(api.url, 'cache_reads_total', 'cache="catalog",result="miss"'),
  };
}

async function reindexSection(catalog: Catalog, db: pg.Client): Promise<void> {
  const marker = `zq${Date.now().toString(36)}`;
  // Renamed behind the index's back (no event): only the rebuild can bring the new names in.
  await db.query(`UPDATE catalog.products SET name = name || ' ' || $1 WHERE id IN (SELECT id FROM catalog.products WHERE status = 'active' ORDER BY id LIMIT 1000)`, [marker]);
  const api = await startApiServer(ROOT, apiEnv({ SEARCH_CACHE: 'off' }));
  try {
    const queries = searchQueries(catalog, seeded(43));
    const draw = zipf(queries.length, 1, seeded(8));
    let done = false;
    const observed: number[] = [];
    const probe = (async () => {
      while (!done) {
        const { body } = await timedGet(`${api.url}/api/v1/search?q=${marker}`);
        // Not found, the engine may search a correction instead (an earlier run's marker): that is 0 here.
        const result = JSON.parse(body) as { total: number; correctedQuery?: string };
        const total = result.correctedQuery ? 0 : result.total;
        if (observed.at(-1) !== total) observed.push(total);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = performance.now();
    const reindex = run('npm', ['run', '--silent', 'search:reindex'], apiEnv()).finally(() => (done = true));
    const load = closedLoop(4, 10 * 60_000, () => timedGet(`${api.url}${queries[draw()]}`), () => done);
    const output = await reindex;
    const seconds = (performance.now() - started) / 1000;
    const searches = await load;
    await probe;
    const final = JSON.parse((await timedGet(`${api.url}/api/v1/search?q=${marker}`)).body) as { total: number; correctedQuery?: string };
    const after = final.correctedQuery ? 0 : final.total;
    say('## Full reindex of 100,000 products with the API serving searches (PostgreSQL engine, search cache off)');
    say();
    say('| rebuild (wall, incl. process start) | searches meanwhile | failed | p50 | p99 | renamed products found, in order seen |');
    say('|---|---|---|---|---|---|');
    say(
      `| ${seconds.toFixed(1)} s (${/in ([\d.]+) s/.exec(output)?.[1] ?? '?'} s reported) | ${searches.latencies.length} | ${searches.failures.length} | ` +
        `${fmt(percentile(searches.latencies, 50))} ms | ${fmt(percentile(searches.latencies, 99))} ms | ${observed.join(' → ')} (then ${after}) |`,
    );
    say();
    say('Target: under 60 s, no failed search, the renamed products switch from 0 to 1,000 at once.');
    say();
  } finally {
    await api.stop();
    await db.query(`UPDATE catalog.products SET name = regexp_replace(name, ' zq[0-9a-z]+$', '') WHERE name ~ ' zq[0-9a-z]+$'`);
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!args['no-build']) await run('npm', ['run', '--silent', 'build']);
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await ensureDatabase(ROOT, DATABASE_URL);
  await db.connect();
  try {
    const catalog = await prepare(db);
    say(`# bench:catalog, ${new Date().toISOString()}`);
    say();
    say(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`);
    say(`Command: npm run bench:catalog${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}. Catalog: ${catalog.slugs.length} active products, ${catalog.categories.length} categories.`);
    say();
    if (only.has('search')) await searchSection(catalog);
    if (only.has('detail')) await detailSection(catalog);
    if (only.has('browse')) await browseSection(catalog);
    if (only.has('reindex')) await reindexSection(catalog, db);
  } finally {
    await db.end();
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'catalog-latest.md'), `${report.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:catalog failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
