import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { anonymousContext, type SearchQuery } from '#contracts';
import type { AppConfig } from '#platform';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import { PostgresSearchEngine } from './postgres-search.engine.js';
import { SearchDocumentRow } from './search-document.entity.js';
import { SearchDocumentsRepository } from './search-documents.repository.js';
import { SearchRebuildRepository } from './search-rebuild.repository.js';
import { SearchTermRow } from './search-term.entity.js';
import { SEARCH_ENGINE } from './search.engine.js';
import { catalogue, productId, searchDocument, BRANDS, CATEGORIES } from './search.fixtures.js';
import { SearchResultsCache } from './search-results.cache.js';
import { SearchService } from './search.service.js';

const ctx = anonymousContext('int-spec');

describe('PostgresSearchEngine (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let search: SearchService;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, {
      imports: [TypeOrmModule.forFeature([SearchDocumentRow, SearchTermRow])],
      providers: [SearchDocumentsRepository, SearchRebuildRepository, PostgresSearchEngine, { provide: SEARCH_ENGINE, useExisting: PostgresSearchEngine }, SearchResultsCache, SearchService],
    });
    search = app.get(SearchService);
    await search.index(ctx, catalogue());
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const find = (query: Partial<SearchQuery>) => search.search(ctx, { page: 1, pageSize: 100, ...query });
  const ids = async (query: Partial<SearchQuery>) => (await find(query)).items.map((hit) => hit.productId);

  describe('full text', () => {
    it('ranks name matches above description matches (weights A over C)', async () => {
      const result = await find({ q: 'leather' });
      expect(result.total).toBe(3);
      expect(result.items.slice(0, 2).map((h) => h.productId).sort()).toEqual([productId(1), productId(2)]);
      expect(result.items[2]?.productId).toBe(productId(4));
      expect(result.correctedQuery).toBeUndefined();
    });

    it('finds brand and category names (weight B) and folds accents', async () => {
      expect(await ids({ q: 'northwind puffer' })).toEqual([productId(3)]);
      expect((await find({ q: 'jackets' })).total).toBe(4);
      expect(await ids({ q: 'cafe' })).toEqual([productId(6)]);
      expect(await ids({ q: 'CAFÉ latte' })).toEqual([productId(6)]);
    });

    it('reads websearch syntax: "quoted phrases", OR, and -exclusion', async () => {
      expect(await ids({ q: '"rain jacket"' })).toEqual([productId(5)]);
      expect(await ids({ q: '"jacket rain"' })).toEqual([]);
      expect((await ids({ q: 'jacket -leather' })).sort()).toEqual([productId(3), productId(5)]);
      expect((await find({ q: 'skillet OR kettle' })).total).toBe(5);
      expect((await find({ q: 'skillet kettle' })).total).toBe(0);
    });

    it("answers SQL and tsquery syntax as plain text, never with an error", async () => {
      for (const q of ["'", '&', '|', '!', ':*', '\\', "leather' OR 1=1 --", 'leather:*', 'leather & | !', '(leather', "it's", 'a\\:b', '"', '-', '-"']) {
        const result = await find({ q });
        expect(result).toEqual(expect.objectContaining({ total: expect.any(Number), items: expect.any(Array) }));
      }
      expect((await find({ q: 'leather:*' })).total).toBe(3);
      expect((await find({ q: '&' })).total).toBe(50);
    });

    it("counts every match, not just the page's, and matches whole words ('simple': no stemming)", async () => {
      const result = await find({ q: 'shirt', pageSize: 5 });
      expect(result.total).toBe(18);
      expect(result.items).toHaveLength(5);
      expect((await find({ q: 'shirts' })).total).toBe(24);
    });
  });

  describe('did you mean', () => {
    it('corrects misspelt words against the vocabulary when the query finds too little', async () => {
      const result = await find({ q: 'lether jaket' });
      expect(result.correctedQuery).toBe('leather jacket');
      expect(result.items.map((h) => h.productId).sort()).toEqual([productId(1), productId(2)]);
    });

    it('keeps the syntax around a corrected word', async () => {
      const result = await find({ q: 'jaket -lether' });
      expect(result.correctedQuery).toBe('jacket -leather');
      expect(result.total).toBe(2);
    });

    it('leaves a query that finds enough, or that nothing improves, alone', async () => {
      expect((await find({ q: 'jacket' })).correctedQuery).toBeUndefined();
      const nonsense = await find({ q: 'xqzvw' });
      expect(nonsense).toMatchObject({ total: 0, items: [] });
      expect(nonsense.correctedQuery).toBeUndefined();
    });
  });

  describe('suggest', () => {
    it('completes the last word as a prefix and returns at most ten distinct names', async () => {
      const jackets = await search.suggest(ctx, 'jack');
      expect(new Set(jackets)).toEqual(new Set(['Leather Biker Jacket', 'Vintage Leather Jacket', 'Down Puffer Jacket', 'Packable Rain Jacket']));
      expect(await search.suggest(ctx, 'leather ja')).toEqual(expect.arrayContaining(['Leather Biker Jacket', 'Vintage Leather Jacket']));
      expect(await search.suggest(ctx, 'leather ja')).toHaveLength(2);
      expect((await search.suggest(ctx, 's')).length).toBeLessThanOrEqual(10);
      expect(await search.suggest(ctx, 'caf')).toEqual(['Café Latte Mug']);
    });

    it('puts names that start with what was typed first', async () => {
      expect((await search.suggest(ctx, 'leath'))[0]).toBe('Leather Biker Jacket');
    });

    it('finds a name from inside a word, and corrects a typo when nothing starts with it', async () => {
      expect(await search.suggest(ctx, 'ffer')).toEqual(['Down Puffer Jacket']);
      expect(await search.suggest(ctx, 'skilet')).toEqual(expect.arrayContaining(['Cast Iron Skillet No. 31']));
    });

    it('answers special characters and blanks with names or nothing, never an error', async () => {
      for (const q of ["'", '&', ':*', '\\', "jack'", 'jack:*', '!jack', '   ']) await expect(search.suggest(ctx, q)).resolves.toEqual(expect.any(Array));
      expect(await search.suggest(ctx, 'jack:*')).toHaveLength(4);
    });
  });

  describe('filters and facets', () => {
    it('filters by a category, its ancestor, a brand, a price range and attributes', async () => {
      expect((await find({ category: 'jackets' })).total).toBe(4);
      expect((await find({ category: 'clothing' })).total).toBe(28);
      expect((await find({ category: 'clothing', brand: 'alpina' })).total).toBe(13);
      expect((await ids({ minPrice: 10000, maxPrice: 20000 })).sort()).toEqual([productId(2), productId(3), productId(4)]);
      expect((await find({ minPrice: 24900 })).total).toBe(1);
      expect((await find({ attributes: { color: ['red'] } })).total).toBe(12);
      expect((await find({ attributes: { color: ['red'] }, category: 'shirts' })).total).toBe(6);
      expect((await ids({ attributes: { color: ['brown', 'white'] } })).sort()).toEqual([productId(2), productId(4), productId(6)]);
      expect(await ids({ q: 'jacket', attributes: { color: ['blue'], size: ['M'] } })).toEqual([productId(3)]);
    });

    it('counts categories, brands, price buckets and attributes over every match, in one response', async () => {
      const { facets, total, totalExact } = await find({ q: 'jacket', pageSize: 1 });
      expect([total, totalExact]).toEqual([4, true]);
      expect(facets.category).toEqual([
        { value: 'clothing', label: 'Clothing', count: 4 },
        { value: 'jackets', label: 'Jackets', count: 4 },
      ]);
      expect(facets.brand).toEqual([
        { value: 'northwind', label: 'Northwind', count: 3 },
        { value: 'alpina', label: 'Alpina', count: 1 },
      ]);
      expect(facets.price.map((b) => [b.key, b.count])).toEqual([
        ['0-1000', 0], ['1000-2500', 0], ['2500-5000', 0], ['5000-10000', 1], ['10000-25000', 3], ['25000+', 0],
      ]);
      expect(facets.attributes.size).toEqual([
        { value: 'M', label: 'M', count: 4 },
        { value: 'L', label: 'L', count: 2 },
        { value: 'S', label: 'S', count: 2 },
      ]);
      expect(facets.attributes.color).toHaveLength(5);
    });

    it('stops counting at SEARCH_COUNT_LIMIT: total becomes a lower bound and facets count that many matches', async () => {
      const bounded = new PostgresSearchEngine(app.get(SearchDocumentsRepository), app.get(SearchRebuildRepository), { get: () => 10 } as unknown as AppConfig);
      const search = (query: Partial<SearchQuery>) => bounded.search({ page: 1, pageSize: 5, sort: 'newest', ...query });
      const broad = await search({ category: 'clothing' });
      expect([broad.total, broad.totalExact, broad.items.length]).toEqual([10, false, 5]);
      expect(broad.facets.category.find((c) => c.value === 'clothing')?.count).toBe(10);
      expect(broad.facets.price.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(10);
      expect((await search({ category: 'clothing', page: 5 })).items).toHaveLength(5); // pages go on past the count (28 match)
      const narrow = await search({ category: 'jackets' });
      expect([narrow.total, narrow.totalExact]).toEqual([4, true]);
      const exactly = await bounded.search({ category: 'clothing', brand: 'alpina', page: 1, pageSize: 5, sort: 'newest' });
      expect([exactly.total, exactly.totalExact]).toEqual([10, false]); // 13 match
    });

    it('counts facets of the filtered set', async () => {
      const { facets } = await find({ category: 'home' });
      expect(facets.brand).toEqual([{ value: 'hearth', label: 'Hearth & Co', count: 21 }]);
      expect(facets.category).toEqual([
        { value: 'home', label: 'Home', count: 21 },
        { value: 'kitchen', label: 'Kitchen', count: 21 },
      ]);
    });
  });

  describe('sorts and pages', () => {
    it.each([
      ['price_asc', [5, 3, 2, 1]],
      ['price_desc', [1, 2, 3, 5]],
      ['newest', [5, 3, 2, 1]],
      ['name', [3, 1, 5, 2]],
      ['rating', [3, 1, 2, 5]],
    ] as const)('sorts by %s', async (sort, order) => {
      expect(await ids({ category: 'jackets', sort })).toEqual(order.map(productId));
    });

    it('pages through every match exactly once', async () => {
      const pages = await Promise.all([1, 2, 3].map((page) => find({ category: 'clothing', sort: 'name', page, pageSize: 10 })));
      const all = pages.flatMap((p) => p.items.map((h) => h.productId));
      expect(all).toHaveLength(28);
      expect(new Set(all).size).toBe(28);
      expect(pages[2]).toMatchObject({ page: 3, pageSize: 10, total: 28 });
    });
  });

  describe('writes', () => {
    it('upserts by product id: indexing twice leaves one document, as last sent', async () => {
      const doc = searchDocument(900, { name: 'Wool Beanie', categories: [CATEGORIES.clothing], brand: BRANDS.alpina });
      await search.index(ctx, [doc, { ...doc, name: 'Wool Beanie Hat' }]);
      await search.index(ctx, [{ ...doc, name: 'Wool Beanie Hat' }]);
      const { rows } = await db.query('SELECT name FROM search.documents WHERE product_id = $1', [doc.productId]);
      expect(rows).toEqual([{ name: 'Wool Beanie Hat' }]);
      expect(await ids({ q: 'beanie hat' })).toEqual([doc.productId]);
      await search.index(ctx, [{ ...doc, name: 'Wool Scarf' }]);
      expect(await ids({ q: 'beanie' })).toEqual([]);
      expect(await ids({ q: 'scarf' })).toEqual([doc.productId]);
    });

    it('removes documents, ignoring unknown ids', async () => {
      const doc = searchDocument(901, { name: 'Silk Scarf Gone' });
      await search.index(ctx, [doc]);
      expect(await ids({ q: 'silk' })).toEqual([doc.productId]);
      await search.remove(ctx, [doc.productId, productId(999), 'not-a-uuid']);
      expect(await ids({ q: 'silk' })).toEqual([]);
      expect((await find({})).total).toBe(51);
    });

    it('refuses a document whose prices are not minor units in order', async () => {
      await expect(search.index(ctx, [searchDocument(902, { priceMin: 10, priceMax: 5 })])).rejects.toMatchObject({ code: 'SEARCH.INVALID_DOCUMENT' });
      await expect(search.index(ctx, [searchDocument(902, { priceMin: 9.99 })])).rejects.toMatchObject({ code: 'SEARCH.INVALID_DOCUMENT' });
    });
  });
});
