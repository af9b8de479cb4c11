/**
 * `npm run seed -- --products 100000 [--reset] [--seed 42]`: a realistic catalog (faker commerce
 * data: brands, a three-level category tree, 1-6 variants per product, descriptions, prices, stock,
 * attributes, images), written in large batched inserts with a progress bar. The demo runs it with
 * its default (500 products). A catalog that already has products is left alone unless --reset.
 * Bulk rows bypass the outbox, so the seed then rebuilds the search index (`npm run
 * search:reindex`) unless --no-index.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { faker } from '@faker-js/faker';
import { SingleBar } from 'cli-progress';
import pg from 'pg';
import { slugify } from '../slug.js';

const BATCH = 2000;
const BRANDS = 60;
const ROOTS = 8;
const CHILDREN = 5;
const GRANDCHILDREN = 4;
const COLORS = ['black', 'white', 'red', 'blue', 'green', 'grey', 'navy', 'yellow', 'brown', 'pink'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const MATERIALS = ['cotton', 'wool', 'leather', 'polyester', 'linen', 'steel', 'wood', 'plastic', 'rubber', 'bamboo'];

interface Columns {
  [column: string]: unknown[];
}

/** INSERT ... SELECT FROM unnest(arrays): one statement per batch, whatever its size. */
async function insertColumns(client: pg.PoolClient, table: string, types: Record<string, string>, rows: Columns): Promise<void> {
  const names = Object.keys(types);
  const casts = names.map((name, i) => `$${i + 1}::${types[name]}[]`).join(', ');
  await client.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${casts})`, names.map((n) => rows[n]));
}

function columns(names: string[]): Columns {
  return Object.fromEntries(names.map((n) => [n, []]));
}

async function seedTaxonomy(client: pg.PoolClient): Promise<{ brands: string[]; leaves: string[] }> {
  const brands = columns(['id', 'slug', 'name']);
  const usedBrandSlugs = new Set<string>();
  while (brands.id!.length < BRANDS) {
    const name = faker.company.name();
    const slug = slugify(name);
    if (!slug || usedBrandSlugs.has(slug)) continue;
    usedBrandSlugs.add(slug);
    brands.id!.push(randomUUID());
    brands.slug!.push(slug);
    brands.name!.push(name);
  }
  await insertColumns(client, 'catalog.brands', { id: 'uuid', slug: 'varchar', name: 'varchar' }, brands);

  const categories = columns(['id', 'parent_id', 'slug', 'name', 'position', 'path']);
  const leaves: string[] = [];
  const usedSlugs = new Set<string>();
  const add = (name: string, parent: { id: string; path: string; slug: string } | null, position: number) => {
    const id = randomUUID();
    let slug = slugify(parent ? `${parent.slug} ${name}` : name);
    while (usedSlugs.has(slug)) slug = `${slug}-${position}`;
    usedSlugs.add(slug);
    const path = parent ? `${parent.path}/${id}` : id;
    for (const [key, value] of Object.entries({ id, parent_id: parent?.id ?? null, slug, name, position, path })) categories[key]!.push(value);
    return { id, path, slug };
  };
  const departments = faker.helpers.uniqueArray(faker.commerce.department, ROOTS);
  departments.forEach((department, r) => {
    const root = add(department, null, r);
    faker.helpers.uniqueArray(faker.commerce.productAdjective, CHILDREN).forEach((adjective, c) => {
      const child = add(`${adjective} ${department}`, root, c);
      faker.helpers.uniqueArray(faker.commerce.productMaterial, GRANDCHILDREN).forEach((material, g) => {
        leaves.push(add(`${material} ${adjective}`, child, g).id);
      });
    });
  });
  await insertColumns(client, 'catalog.categories', { id: 'uuid', parent_id: 'uuid', slug: 'varchar', name: 'varchar', position: 'int', path: 'text' }, categories);
  return { brands: brands.id as string[], leaves };
}

async function seedProducts(client: pg.PoolClient, from: number, count: number, taxonomy: { brands: string[]; leaves: string[] }): Promise<void> {
  const products = columns(['id', 'slug', 'name', 'description', 'brand_id', 'status', 'attributes', 'price_min', 'price_max', 'currency', 'in_stock', 'rating_average', 'rating_count', 'created_at']);
  const variants = columns(['id', 'product_id', 'sku', 'options', 'price_amount', 'currency', 'compare_at_amount', 'weight_grams', 'barcode', 'in_stock', 'position']);
  const images = columns(['id', 'product_id', 'url', 'alt', 'position']);
  const links = columns(['product_id', 'category_id']);
  for (let n = from; n < from + count; n += 1) {
    const id = randomUUID();
    const name = faker.commerce.productName();
    const colors = faker.helpers.arrayElements(COLORS, { min: 1, max: 3 });
    const base = faker.number.int({ min: 199, max: 49_999 });
    const sizes = faker.helpers.arrayElements(SIZES, { min: 1, max: 6 });
    const prices: number[] = [];
    const stocked: boolean[] = [];
    sizes.forEach((size, position) => {
      const price = base + position * faker.helpers.arrayElement([0, 0, 100, 200, 500]);
      const inStock = faker.datatype.boolean({ probability: 0.9 });
      prices.push(price);
      stocked.push(inStock);
      for (const [key, value] of Object.entries({
        id: randomUUID(),
        product_id: id,
        sku: `P${String(n).padStart(7, '0')}-${size}`,
        options: JSON.stringify({ size, color: colors[0] }),
        price_amount: price,
        currency: 'EUR',
        compare_at_amount: faker.datatype.boolean({ probability: 0.2 }) ? Math.round(price * 1.25) : null,
        weight_grams: faker.number.int({ min: 50, max: 5000 }),
        barcode: faker.commerce.isbn({ variant: 13, separator: '' }),
        in_stock: inStock,
        position,
      })) variants[key]!.push(value);
    });
    const rated = faker.datatype.boolean({ probability: 0.7 });
    for (const [key, value] of Object.entries({
      id,
      slug: `${slugify(name, 140)}-${n}`,
      name,
      description: faker.commerce.productDescription(),
      brand_id: faker.helpers.arrayElement(taxonomy.brands),
      status: 'active',
      attributes: JSON.stringify({ color: colors, material: [faker.helpers.arrayElement(MATERIALS)] }),
      price_min: Math.min(...prices),
      price_max: Math.max(...prices),
      currency: 'EUR',
      in_stock: stocked.some(Boolean),
      rating_average: rated ? faker.number.float({ min: 1, max: 5, fractionDigits: 1 }) : null,
      rating_count: rated ? faker.number.int({ min: 1, max: 800 }) : 0,
      created_at: faker.date.past({ years: 2 }).toISOString(),
    })) products[key]!.push(value);
    const imageCount = faker.number.int({ min: 1, max: 3 });
    for (let position = 0; position < imageCount; position += 1) {
      for (const [key, value] of Object.entries({ id: randomUUID(), product_id: id, url: `https://picsum.photos/seed/${id}-${position}/800/800`, alt: name, position })) images[key]!.push(value);
    }
    links.product_id!.push(id);
    links.category_id!.push(faker.helpers.arrayElement(taxonomy.leaves));
  }
  await client.query('BEGIN');
  await insertColumns(client, 'catalog.products', {
    id: 'uuid', slug: 'varchar', name: 'varchar', description: 'text', brand_id: 'uuid', status: 'varchar', attributes: 'jsonb', price_min: 'int',
    price_max: 'int', currency: 'bpchar', in_stock: 'bool', rating_average: 'real', rating_count: 'int', created_at: 'timestamptz',
  }, products);
  await insertColumns(client, 'catalog.variants', {
    id: 'uuid', product_id: 'uuid', sku: 'varchar', options: 'jsonb', price_amount: 'int', currency: 'bpchar', compare_at_amount: 'int',
    weight_grams: 'int', barcode: 'varchar', in_stock: 'bool', position: 'int',
  }, variants);
  await insertColumns(client, 'catalog.product_images', { id: 'uuid', product_id: 'uuid', url: 'varchar', alt: 'varchar', position: 'int' }, images);
  await insertColumns(client, 'catalog.product_categories', { product_id: 'uuid', category_id: 'uuid' }, links);
  await client.query('COMMIT');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { products: { type: 'string' }, reset: { type: 'boolean' }, seed: { type: 'string' }, 'no-index': { type: 'boolean' } },
    strict: true,
  });
  const total = Number(values.products ?? process.env.DEMO_SEED_PRODUCTS ?? 500);
  if (!Number.isInteger(total) || total < 1 || total > 5_000_000) {
    process.stderr.write('--products must be an integer from 1 to 5,000,000\n');
    return 2;
  }
  faker.seed(Number(values.seed ?? 42));
  // Like the apps and migrations: `.env` fills what the environment leaves unset. (Not loadEnv from
  // the platform: importing it loads all of Nest, seconds before the first row.)
  if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
  if (!process.env.DATABASE_URL) {
    process.stderr.write('DATABASE_URL is not set (see .env.example)\n');
    return 2;
  }
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1, application_name: 'ficus-seed' });
  const client = await pool.connect();
  try {
    const existing = Number((await client.query('SELECT count(*) AS n FROM catalog.products')).rows[0].n);
    if (existing > 0 && !values.reset) {
      process.stdout.write(`The catalog already has ${existing} products: left as it is (--reset replaces it).\n`);
      return 0;
    }
    const started = performance.now();
    if (values.reset) {
      await client.query('TRUNCATE catalog.product_categories, catalog.product_images, catalog.variants, catalog.slug_redirects, catalog.products, catalog.categories, catalog.brands');
    }
    const taxonomy = await seedTaxonomy(client);
    const bar = new SingleBar({ format: 'Seeding products [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left', noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(total, 0);
    for (let done = 0; done < total; done += BATCH) {
      const count = Math.min(BATCH, total - done);
      await seedProducts(client, done, count, taxonomy);
      bar.update(done + count);
    }
    bar.stop();
    await client.query('ANALYZE catalog.products, catalog.variants, catalog.product_categories, catalog.product_images, catalog.categories');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Seeded ${total} products (${BRANDS} brands, ${taxonomy.leaves.length} leaf categories) in ${seconds} s.\n`);
    return values['no-index'] ? 0 : reindex();
  } finally {
    client.release();
    await pool.end();
  }
}

/** The search index, rebuilt by its own command (which boots the API's modules). */
function reindex(): Promise<number> {
  const entry = new URL('../../search/cli/reindex.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, [...process.execArgv, entry], { stdio: 'inherit', env: process.env });
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
