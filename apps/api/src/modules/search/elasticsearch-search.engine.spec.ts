import { errors } from '@elastic/elasticsearch';
import MockModule, { type MockPattern } from '@elastic/elasticsearch-mock';
import { ElasticsearchService } from '@nestjs/elasticsearch';
import { ElasticsearchSearchEngine, toIndexed } from './elasticsearch-search.engine.js';
import { catalogue, productId } from './search.fixtures.js';

interface Recorded {
  call: string;
  body: any;
}

// The package is CommonJS (`module.exports = ClientMock`) typed as if it had a default export.
const Mock = MockModule as unknown as typeof MockModule.default;

type Replies = [RegExp, (body: any) => unknown][];

const notFound = () =>
  new errors.ResponseError({ body: { error: 'not found', status: 404 }, statusCode: 404, headers: {}, warnings: null, meta: {} as never });

/** The official mock behind a real client: records every request, answers the first matching `METHOD /path` pattern, 404 otherwise. */
function fakeCluster(replies: Replies) {
  const mock = new Mock();
  const requests: Recorded[] = [];
  mock.add({ method: ['GET', 'POST', 'PUT', 'HEAD', 'DELETE'], path: '/*' }, (params: MockPattern) => {
    const call = `${params.method} ${params.path}`;
    requests.push({ call, body: params.body });
    const reply = replies.find(([pattern]) => pattern.test(call));
    return (reply ? reply[1](params.body) : notFound()) as Record<string, unknown>;
  });
  const es = new ElasticsearchService({ node: 'http://es.test:9200', Connection: mock.getConnection() });
  return { engine: new ElasticsearchSearchEngine(es), requests, calls: () => requests.map((r) => r.call) };
}

const ALIAS_EXISTS: Replies[number] = [/^HEAD \/_alias\/products$/, () => ({})];
const BULK_OK: Replies[number] = [/^POST \/[\w-]+\/_bulk$/, () => ({ took: 1, errors: false, items: [] })];
const ACK: Replies[number] = [/^(PUT \/products-\d+|POST \/_aliases|DELETE \/.*|(GET|POST) \/[\w-]+\/_refresh)$/, () => ({ acknowledged: true })];

const query = { page: 1, pageSize: 20, sort: 'relevance' as const };

function searchResponse(hits: unknown[], total: number, extra: Record<string, unknown> = {}) {
  return {
    took: 1,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: total, relation: 'eq' }, max_score: 1, hits },
    ...extra,
  };
}

describe('ElasticsearchSearchEngine (the official client against @elastic/elasticsearch-mock)', () => {
  const docs = catalogue();
  const leatherJacket = docs[0]!;
  const puffer = docs[2]!;

  describe('writes', () => {
    it('creates the first index behind the alias with an explicit mapping, then bulk-upserts by product id', async () => {
      const cluster = fakeCluster([ACK, BULK_OK]);
      await cluster.engine.index([leatherJacket, puffer]);
      await cluster.engine.index([puffer]);
      expect(cluster.calls()).toEqual([
        'HEAD /_alias/products',
        expect.stringMatching(/^PUT \/products-\d+$/),
        'POST /products/_bulk',
        'POST /products/_bulk',
      ]);
      const { body: create } = cluster.requests[1]!;
      expect(create.aliases).toEqual({ products: {} });
      expect(create.settings.analysis.filter.autocomplete_edge).toEqual({ type: 'edge_ngram', min_gram: 1, max_gram: 20 });
      expect(create.settings.analysis.analyzer.autocomplete).toEqual({ type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'autocomplete_edge'] });
      expect(create.settings.analysis.analyzer.folded).toEqual({ type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] });
      expect(create.mappings.dynamic).toBe('strict');
      expect(create.mappings.properties.name.fields.autocomplete).toEqual({ type: 'text', analyzer: 'autocomplete', search_analyzer: 'folded' });
      for (const field of ['categoryFacet', 'brandFacet', 'attributePairs', 'productId', 'slug', 'currency']) {
        expect(create.mappings.properties[field]).toEqual({ type: 'keyword' });
      }
      expect(create.mappings.properties.categories.properties.slug).toEqual({ type: 'keyword' });
      expect(create.mappings.properties.priceMin).toEqual({ type: 'integer' });

      expect(cluster.requests[2]!.body).toEqual([
        { index: { _index: 'products', _id: leatherJacket.productId } },
        toIndexed(leatherJacket),
        { index: { _index: 'products', _id: puffer.productId } },
        toIndexed(puffer),
      ]);
      expect(toIndexed(leatherJacket)).toMatchObject({
        categoryFacet: ['jackets|Jackets', 'clothing|Clothing'],
        brandFacet: ['northwind|Northwind'],
        attributePairs: ['color=black', 'size=M', 'size=L'],
      });
    });

    it('uses an existing alias as it is, deletes by id and ignores ids the index never had', async () => {
      const cluster = fakeCluster([
        ALIAS_EXISTS,
        [/^POST \/products\/_bulk$/, () => ({ took: 1, errors: true, items: [{ delete: { _index: 'products-1', _id: productId(999), status: 404, result: 'not_found' } }] })],
      ]);
      await cluster.engine.remove([productId(1), productId(999)]);
      expect(cluster.calls()).toEqual(['HEAD /_alias/products', 'POST /products/_bulk']);
      expect(cluster.requests[1]!.body).toEqual([{ delete: { _index: 'products', _id: productId(1) } }, { delete: { _index: 'products', _id: productId(999) } }]);
    });

    it('fails loudly when the bulk request rejects a document', async () => {
      const cluster = fakeCluster([
        ALIAS_EXISTS,
        [/_bulk$/, () => ({ took: 1, errors: true, items: [{ index: { _index: 'products-1', _id: productId(1), status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad price' } } }] })],
      ]);
      await expect(cluster.engine.index([leatherJacket])).rejects.toThrow(/bad price/);
    });

    it('reindexes without downtime: new index, bulk fill, refresh, one atomic alias swap, old index deleted', async () => {
      const cluster = fakeCluster([
        ACK,
        BULK_OK,
        ALIAS_EXISTS,
        [/^GET \/_alias\/products$/, () => ({ 'products-1': { aliases: { products: {} } } })],
      ]);
      async function* batches() {
        yield docs.slice(0, 30);
        yield [];
        yield docs.slice(30);
      }
      await cluster.engine.rebuild(batches(), 1234);
      expect(cluster.calls()).toEqual([
        'PUT /products-1234',
        'POST /products-1234/_bulk',
        'POST /products-1234/_bulk',
        'GET /products-1234/_refresh',
        'HEAD /_alias/products',
        'GET /_alias/products',
        'POST /_aliases',
        'DELETE /products-1',
      ]);
      expect(cluster.requests[0]!.body.aliases).toBeUndefined();
      expect(cluster.requests[0]!.body.mappings.properties.name.fields.autocomplete.analyzer).toBe('autocomplete');
      expect(cluster.requests[1]!.body).toHaveLength(60);
      expect(cluster.requests[1]!.body[0]).toEqual({ index: { _index: 'products-1234', _id: docs[0]!.productId } });
      expect(cluster.requests[2]!.body).toHaveLength(40);
      expect(cluster.requests[6]!.body).toEqual({
        actions: [{ remove: { index: 'products-1', alias: 'products' } }, { add: { index: 'products-1234', alias: 'products' } }],
      });
    });
  });

  describe('search', () => {
    it('sends websearch syntax as phrase, fuzzy (fuzziness AUTO) and must_not clauses, filters, sort, page and aggregations', async () => {
      const cluster = fakeCluster([ALIAS_EXISTS, [/^POST \/products\/_search$/, () => searchResponse([], 5)]]);
      await cluster.engine.search({
        ...query,
        q: '"rain jacket" green -kids',
        category: 'clothing',
        brand: 'northwind',
        minPrice: 1000,
        maxPrice: 9000,
        attributes: { color: ['green', 'red'], size: ['M'] },
        page: 3,
        pageSize: 10,
      });
      const { body } = cluster.requests.find((r) => r.call.endsWith('_search'))!;
      expect(body.from).toBe(20);
      expect(body.size).toBe(10);
      expect(body.track_total_hits).toBe(true);
      expect(body.query.bool.must).toEqual([
        { multi_match: { query: 'rain jacket', type: 'phrase', fields: ['name^3', 'brand.name^2', 'categories.name^2', 'description'] } },
        { multi_match: { query: 'green', fields: ['name^3', 'brand.name^2', 'categories.name^2', 'description'], fuzziness: 'AUTO', operator: 'and' } },
      ]);
      expect(body.query.bool.must_not).toEqual([{ multi_match: { query: 'kids', type: 'phrase', fields: ['name^3', 'brand.name^2', 'categories.name^2', 'description'] } }]);
      expect(body.query.bool.filter).toEqual([
        { term: { 'categories.slug': 'clothing' } },
        { term: { 'brand.slug': 'northwind' } },
        { range: { priceMin: { gte: 1000, lte: 9000 } } },
        { terms: { attributePairs: ['color=green', 'color=red'] } },
        { terms: { attributePairs: ['size=M'] } },
      ]);
      expect(body.sort).toEqual(['_score', { createdAt: 'desc' }, { productId: 'asc' }]);
      expect(body.aggs.category).toEqual({ terms: { field: 'categoryFacet', size: 50 } });
      expect(body.aggs.brand).toEqual({ terms: { field: 'brandFacet', size: 50 } });
      expect(body.aggs.attributes.terms.field).toBe('attributePairs');
      expect(body.aggs.price.range.field).toBe('priceMin');
      expect(body.aggs.price.range.ranges[0]).toEqual({ key: '0-1000', from: 0, to: 1000 });
      expect(body.aggs.price.range.ranges.at(-1)).toEqual({ key: '25000+', from: 25000 });
      expect(body.suggest).toEqual({ text: '"rain jacket" green -kids', words: { term: { field: 'name', suggest_mode: 'missing' } } });
    });

    it('reads OR as any word, and browses everything newest first without a query', async () => {
      const cluster = fakeCluster([ALIAS_EXISTS, [/_search$/, () => searchResponse([], 0)]]);
      await cluster.engine.search({ ...query, q: 'skillet OR kettle' });
      await cluster.engine.search({ ...query, sort: 'price_asc' });
      const [withOr, browse] = cluster.requests.filter((r) => r.call.endsWith('_search')).map((r) => r.body);
      expect(withOr.query.bool.must).toEqual([expect.objectContaining({ multi_match: expect.objectContaining({ query: 'skillet kettle', operator: 'or', fuzziness: 'AUTO' }) })]);
      expect(browse.query.bool.must).toEqual([{ match_all: {} }]);
      expect(browse.sort).toEqual([{ priceMin: 'asc' }, { productId: 'asc' }]);
      expect(browse.suggest).toBeUndefined();
    });

    it('maps hits and aggregations into a SearchResult', async () => {
      const cluster = fakeCluster([
        ALIAS_EXISTS,
        [
          /_search$/,
          () =>
            searchResponse([{ _index: 'products-1', _id: puffer.productId, _score: 2.5, _source: toIndexed(puffer) }], 4, {
              aggregations: {
                category: { buckets: [{ key: 'jackets|Jackets', doc_count: 4 }, { key: 'clothing|Clothing', doc_count: 4 }] },
                brand: { buckets: [{ key: 'northwind|Northwind', doc_count: 3 }, { key: 'hearth|Hearth & Co', doc_count: 1 }] },
                price: { buckets: [{ key: '5000-10000', from: 5000, to: 10000, doc_count: 1 }, { key: '10000-25000', from: 10000, to: 25000, doc_count: 3 }] },
                attributes: { buckets: [{ key: 'size=M', doc_count: 4 }, { key: 'color=red', doc_count: 1 }, { key: 'ratio=1=2', doc_count: 1 }] },
              },
            }),
        ],
      ]);
      const result = await cluster.engine.search({ ...query, q: 'jacket', pageSize: 1 });
      expect(result).toEqual({
        items: [
          {
            productId: puffer.productId, slug: puffer.slug, name: 'Down Puffer Jacket', brand: { slug: 'northwind', name: 'Northwind' },
            priceMin: 15900, priceMax: 15900, currency: 'EUR', inStock: true, rating: 4.9, imageUrl: null, createdAt: puffer.createdAt,
          },
        ],
        total: 4,
        totalExact: true,
        page: 1,
        pageSize: 1,
        facets: {
          category: [{ value: 'jackets', label: 'Jackets', count: 4 }, { value: 'clothing', label: 'Clothing', count: 4 }],
          brand: [{ value: 'northwind', label: 'Northwind', count: 3 }, { value: 'hearth', label: 'Hearth & Co', count: 1 }],
          price: [
            { key: '0-1000', from: 0, to: 1000, count: 0 },
            { key: '1000-2500', from: 1000, to: 2500, count: 0 },
            { key: '2500-5000', from: 2500, to: 5000, count: 0 },
            { key: '5000-10000', from: 5000, to: 10000, count: 1 },
            { key: '10000-25000', from: 10000, to: 25000, count: 3 },
            { key: '25000+', from: 25000, to: null, count: 0 },
          ],
          attributes: {
            color: [{ value: 'red', label: 'red', count: 1 }],
            ratio: [{ value: '1=2', label: '1=2', count: 1 }],
            size: [{ value: 'M', label: 'M', count: 4 }],
          },
        },
      });
    });

    it('searches the term suggester\'s correction when the query finds too little, and says so', async () => {
      const corrected = searchResponse([{ _index: 'products-1', _id: leatherJacket.productId, _score: 1, _source: toIndexed(leatherJacket) }], 2);
      const cluster = fakeCluster([
        ALIAS_EXISTS,
        [
          /_search$/,
          (body) =>
            body.suggest?.text === 'lether jaket'
              ? searchResponse([], 0, {
                  suggest: {
                    words: [
                      { text: 'lether', offset: 0, length: 6, options: [{ text: 'leather', score: 0.8, freq: 3 }] },
                      { text: 'jaket', offset: 7, length: 5, options: [{ text: 'jacket', score: 0.8, freq: 4 }] },
                    ],
                  },
                })
              : corrected,
        ],
      ]);
      const result = await cluster.engine.search({ ...query, q: 'lether jaket' });
      expect(result).toMatchObject({ correctedQuery: 'leather jacket', total: 2 });
      const searches = cluster.requests.filter((r) => r.call.endsWith('_search'));
      expect(searches.map((r) => r.body.query.bool.must[0].multi_match.query)).toEqual(['lether jaket', 'leather jacket']);
    });

    it('completes from the edge n-gram field, one hit per name', async () => {
      const cluster = fakeCluster([
        ALIAS_EXISTS,
        [/_search$/, () => searchResponse([leatherJacket, puffer].map((d) => ({ _index: 'products-1', _id: d.productId, _score: 1, _source: { name: d.name } })), 2)],
      ]);
      expect(await cluster.engine.suggest('jack', 10)).toEqual(['Leather Biker Jacket', 'Down Puffer Jacket']);
      const { body } = cluster.requests.find((r) => r.call.endsWith('_search'))!;
      expect(body).toEqual({
        size: 10,
        _source: ['name'],
        query: { match: { 'name.autocomplete': { query: 'jack', operator: 'and' } } },
        collapse: { field: 'name.keyword' },
      });
    });
  });
});
