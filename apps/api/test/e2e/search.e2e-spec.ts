import { anonymousContext, SEARCH_API, type SearchApi } from '#contracts';
import { body } from '#testing';
import { catalogue, productId } from '../../src/modules/search/search.fixtures.js';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;

describe('search over HTTP (real PostgreSQL engine)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    api = await startApi();
    await api.app.get<SearchApi>(SEARCH_API, { strict: false }).index(anonymousContext('e2e'), catalogue());
  });
  afterAll(() => api.close());

  const get = (path: string) => fetch(`${api.url}/api/v1${path}`);
  const expectBadRequest = async (path: string, field?: string) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    const problem = await body(response);
    if (field) expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    return problem;
  };

  describe('GET /search', () => {
    it('answers without a token: hits, total, page, facets', async () => {
      const response = await get('/search?q=jacket&pageSize=2');
      expect(response.status).toBe(200);
      const result = await body(response);
      expect(result).toMatchObject({ total: 4, page: 1, pageSize: 2 });
      expect(result.items).toHaveLength(2);
      expect(result.items[0]).toEqual({
        productId: expect.any(String), slug: expect.any(String), name: expect.stringMatching(/Jacket/), brand: { slug: expect.any(String), name: expect.any(String) },
        priceMin: expect.any(Number), priceMax: expect.any(Number), currency: 'EUR', inStock: true, rating: expect.any(Number), imageUrl: null, createdAt: expect.any(String),
      });
      expect(result.facets.category).toEqual(expect.arrayContaining([{ value: 'jackets', label: 'Jackets', count: 4 }]));
      expect(result.facets.brand).toEqual([{ value: 'northwind', label: 'Northwind', count: 3 }, { value: 'alpina', label: 'Alpina', count: 1 }]);
      expect(result.facets.price).toHaveLength(6);
      expect(result).not.toHaveProperty('correctedQuery');
    });

    it('takes filters from the query string, attr.<name> included, repeated or comma-separated', async () => {
      const ids = async (query: string) => (await body(await get(`/search?${query}`))).items.map((h: { productId: string }) => h.productId);
      expect(await ids('category=jackets&sort=price_asc')).toEqual([5, 3, 2, 1].map(productId));
      expect(await ids('category=clothing&brand=northwind&minPrice=10000&maxPrice=30000&sort=price_desc')).toEqual([1, 3].map(productId));
      expect(await ids('attr.color=brown&attr.color=white&sort=name')).toEqual([6, 4, 2].map(productId));
      expect(await ids('attr.color=brown,white&sort=name')).toEqual([6, 4, 2].map(productId));
      expect(await ids('q=jacket&attr.color=blue&attr.size=M')).toEqual([productId(3)]);
    });

    it('answers a repeated search from the Redis cache until the index changes', async () => {
      const searchCount = async (result: string) => {
        const metrics = await (await fetch(`${api.url}/metrics`)).text();
        return Number(new RegExp(`^cache_reads_total\\{cache="search",result="${result}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
      };
      const query = '/search?q=skillet&sort=name';
      const first = await body(await get(query));
      const hits = await searchCount('hit');
      expect(await body(await get(query))).toEqual(first);
      expect(await searchCount('hit')).toBe(hits + 1);

      const search = api.app.get<SearchApi>(SEARCH_API, { strict: false });
      const skillet = catalogue().find((doc) => doc.name.includes('Skillet'))!;
      await search.index(anonymousContext('e2e'), [{ ...skillet, name: `${skillet.name} Deluxe` }]);
      const after = await body(await get(query));
      expect(after.items.map((h: { name: string }) => h.name)).toContain(`${skillet.name} Deluxe`);
      await search.index(anonymousContext('e2e'), [skillet]);
    });

    it('says which correction it searched', async () => {
      const result = await body(await get(`/search?q=${encodeURIComponent('lether jaket')}`));
      expect(result).toMatchObject({ correctedQuery: 'leather jacket', total: 2 });
    });

    it("answers SQL and tsquery special characters with normal results, never a 500", async () => {
      for (const q of ["'", '&', '|', '!', ':*', '\\', "jacket' OR '1'='1", 'jacket:*', 'jacket & !', '"unclosed', "'; DROP TABLE search.documents; --"]) {
        const response = await get(`/search?q=${encodeURIComponent(q)}`);
        expect({ q, status: response.status }).toEqual({ q, status: 200 });
        expect(await body(response)).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
      }
      expect((await body(await get('/search?q=jacket'))).total).toBe(4);
    });

    it('refuses a q over 200 characters', async () => {
      await get(`/search?q=${'a'.repeat(200)}`).then((r) => expect(r.status).toBe(200));
      await expectBadRequest(`/search?q=${'a'.repeat(201)}`, 'q');
    });

    it('refuses a page size over 100, and pages outside 1..100', async () => {
      await get('/search?pageSize=100').then((r) => expect(r.status).toBe(200));
      await expectBadRequest('/search?pageSize=101', 'pageSize');
      await expectBadRequest('/search?pageSize=0', 'pageSize');
      await expectBadRequest('/search?page=0', 'page');
      await expectBadRequest('/search?page=abc', 'page');
    });

    it('refuses minPrice above maxPrice', async () => {
      await get('/search?minPrice=500&maxPrice=500').then((r) => expect(r.status).toBe(200));
      const problem = await expectBadRequest('/search?minPrice=5000&maxPrice=100');
      expect(problem.code).toBe('SEARCH.INVALID_QUERY');
      await expectBadRequest('/search?minPrice=-1', 'minPrice');
      await expectBadRequest('/search?maxPrice=9.99', 'maxPrice');
    });

    it('refuses an unknown sort, unknown parameters and malformed attribute filters', async () => {
      await expectBadRequest('/search?sort=popularity', 'sort');
      await expectBadRequest('/search?colour=red', 'colour');
      await expectBadRequest('/search?attr.=red', 'attributes');
      await expectBadRequest(`/search?attr.color=${'x'.repeat(101)}`, 'attributes');
      await expectBadRequest('/search?category=Not%20A%20Slug', 'category');
    });
  });

  describe('GET /search/suggest', () => {
    it('answers up to 10 completions without a token', async () => {
      const response = await get('/search/suggest?q=jack');
      expect(response.status).toBe(200);
      expect((await body(response)).sort()).toEqual(['Down Puffer Jacket', 'Leather Biker Jacket', 'Packable Rain Jacket', 'Vintage Leather Jacket']);
      expect((await body(await get('/search/suggest?q=s'))).length).toBeLessThanOrEqual(10);
      expect(await body(await get('/search/suggest?q='))).toEqual([]);
    });

    it('answers special characters, and refuses a q over 200 characters or none at all', async () => {
      for (const q of ["'", '&', ':*', '\\', "jack'", '!jack|']) {
        expect((await get(`/search/suggest?q=${encodeURIComponent(q)}`)).status).toBe(200);
      }
      await expectBadRequest(`/search/suggest?q=${'a'.repeat(201)}`, 'q');
      await expectBadRequest('/search/suggest', 'q');
    });
  });
});

describe('search with SEARCH_ENGINE=elasticsearch and no cluster answering', () => {
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    api = await startApi({ env: { SEARCH_ENGINE: 'elasticsearch', ELASTICSEARCH_URL: 'http://127.0.0.1:9' } });
  });
  afterAll(() => api.close());

  it('answers searches with 503 and Retry-After, and readiness reports the search engine down', async () => {
    for (const path of ['/api/v1/search?q=jacket', '/api/v1/search/suggest?q=jack']) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await body(response)).toMatchObject({ code: 'PLATFORM.UNAVAILABLE' });
    }
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await body(ready)).checks.search).toMatchObject({ status: 'down' });
  });
});
