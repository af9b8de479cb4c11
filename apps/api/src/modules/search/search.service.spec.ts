import { anonymousContext, type SearchDocument } from '#contracts';
import type { SearchEngine } from './search.engine.js';
import { searchDocument } from './search.fixtures.js';
import type { SearchResultsCache } from './search-results.cache.js';
import { SearchService } from './search.service.js';

const ctx = anonymousContext('spec');

/** Records what reaches the engine. */
function fakeEngine() {
  const calls: { method: string; arg: unknown }[] = [];
  const engine: SearchEngine = {
    async index(docs) { calls.push({ method: 'index', arg: docs }); },
    async remove(ids) { calls.push({ method: 'remove', arg: ids }); },
    async rebuild() { calls.push({ method: 'rebuild', arg: null }); },
    async search(query) {
      calls.push({ method: 'search', arg: query });
      return { items: [], total: 0, totalExact: true, page: query.page, pageSize: query.pageSize, facets: { category: [], brand: [], price: [], attributes: {} } };
    },
    async suggest(q, limit) { calls.push({ method: 'suggest', arg: [q, limit] }); return []; },
  };
  return { engine, calls };
}

/** Computes every read; the cache itself is tested against Redis in the e2e specs. */
const passThroughCache = {
  read: (_kind: string, _query: object, compute: () => Promise<unknown>) => compute(),
  indexChanged: async () => undefined,
} as unknown as SearchResultsCache;

describe('SearchService', () => {
  let fake: ReturnType<typeof fakeEngine>;
  let service: SearchService;
  beforeEach(() => {
    fake = fakeEngine();
    service = new SearchService(fake.engine, passThroughCache);
  });

  it('defaults the sort to relevance with a query and newest without, and drops a blank query', async () => {
    await service.search(ctx, { q: '  jacket ', page: 1, pageSize: 20 });
    await service.search(ctx, { q: '   ', page: 1, pageSize: 20 });
    await service.search(ctx, { q: 'jacket', sort: 'price_asc', page: 1, pageSize: 20 });
    expect(fake.calls.map((c) => c.arg)).toEqual([
      { q: 'jacket', sort: 'relevance', page: 1, pageSize: 20 },
      { q: undefined, sort: 'newest', page: 1, pageSize: 20 },
      { q: 'jacket', sort: 'price_asc', page: 1, pageSize: 20 },
    ]);
  });

  it.each([
    ['q over 200 characters', { q: 'a'.repeat(201) }],
    ['minPrice above maxPrice', { minPrice: 5, maxPrice: 4 }],
    ['an unknown sort', { sort: 'popularity' as never }],
    ['page size over 100', { pageSize: 101 }],
    ['page 0', { page: 0 }],
  ])('refuses %s for callers that skip HTTP validation', async (_, bad) => {
    await expect(service.search(ctx, { page: 1, pageSize: 20, ...bad })).rejects.toMatchObject({ code: 'SEARCH.INVALID_QUERY', kind: 'bad_request' });
    expect(fake.calls).toEqual([]);
  });

  it('indexes a product sent twice once, as last sent, with duplicate categories and values folded', async () => {
    const first = searchDocument(2, { name: 'Old' });
    const doc: SearchDocument = searchDocument(1, {
      categories: [{ slug: 'a', name: 'A' }, { slug: 'a', name: 'A' }],
      attributes: { color: ['red', 'red', 'blue'] },
    });
    await service.index(ctx, [first, doc, { ...first, name: 'New' }]);
    const sent = fake.calls[0]!.arg as SearchDocument[];
    expect(sent.map((d) => [d.productId, d.name])).toEqual([[doc.productId, doc.name], [first.productId, 'New']]);
    expect(sent[0]).toMatchObject({ categories: [{ slug: 'a', name: 'A' }], attributes: { color: ['red', 'blue'] } });
  });

  it('suggests nothing for blank input without asking the engine, and at most ten otherwise', async () => {
    expect(await service.suggest(ctx, '   ')).toEqual([]);
    await service.suggest(ctx, ' jack ');
    expect(fake.calls).toEqual([{ method: 'suggest', arg: ['jack', 10] }]);
  });
});
