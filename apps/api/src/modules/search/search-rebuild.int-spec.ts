import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { SearchDocument } from '#contracts';
import { createTestDatabase, startBackendContext, type TestDatabase } from '#testing';
import { PostgresSearchEngine } from './postgres-search.engine.js';
import { SearchDocumentRow } from './search-document.entity.js';
import { SearchDocumentsRepository } from './search-documents.repository.js';
import { SearchRebuildRepository } from './search-rebuild.repository.js';
import { SearchTermRow } from './search-term.entity.js';
import { SearchRebuildRunningError } from './search.errors.js';
import { productId, searchDocument } from './search.fixtures.js';

const PRODUCTS = 60;
const before = (n: number) => searchDocument(n, { name: `Walnut Stool ${n}` });
const after = (n: number) => searchDocument(n, { name: `Rebuilt Lantern ${n}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Batches for a rebuild that stop at a gate until the test opens it. */
function gatedBatches(first: SearchDocument[], rest: SearchDocument[]) {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  async function* batches() {
    yield first;
    reached();
    await gate;
    yield rest;
  }
  return { batches: batches(), atGate, open };
}

describe('PostgreSQL full rebuild beside the live index (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let engine: PostgresSearchEngine;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, {
      imports: [TypeOrmModule.forFeature([SearchDocumentRow, SearchTermRow])],
      providers: [SearchDocumentsRepository, SearchRebuildRepository, PostgresSearchEngine],
    });
    engine = app.get(PostgresSearchEngine);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const total = async (q: string) => (await engine.search({ q, page: 1, pageSize: 100, sort: 'relevance' })).total;
  const rows = async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows as Record<string, unknown>[];
  const indexes = () => rows(`SELECT indexname, regexp_replace(indexdef, ' ON \\S+', '') AS def FROM pg_indexes WHERE schemaname = 'search' AND tablename = 'documents' ORDER BY 1`);
  const tables = () => rows(`SELECT tablename FROM pg_tables WHERE schemaname = 'search' ORDER BY 1`);
  const terms = async () => (await rows('SELECT term FROM search.terms')).map((r) => r.term);

  it('serves the old index until the end, keeps writes made meanwhile, then switches at once', async () => {
    await engine.index(range(1, PRODUCTS).map(before));
    const indexesBefore = await indexes();
    const tablesBefore = await tables();
    expect(await terms()).toContain('walnut');

    // The rebuild reads every product with a new name; products 5 and 6 change while it runs.
    const rebuildRead = range(1, PRODUCTS).map(after);
    const { batches, atGate, open } = gatedBatches(rebuildRead.slice(0, 30), rebuildRead.slice(30));
    const rebuilt = engine.rebuild(batches);
    await atGate;

    expect(await total('walnut')).toBe(PRODUCTS);
    expect(await total('lantern')).toBe(0);
    await engine.index([searchDocument(5, { name: 'Edited Lantern 5' })]); // after the rebuild read it
    await engine.index([searchDocument(40, { name: 'Edited Lantern 40' })]); // before the rebuild reads it
    await engine.remove([productId(6), productId(45)]); // archived: neither may come back from the rebuild's reads
    expect(await total('walnut')).toBe(PRODUCTS - 4);
    expect(await total('edited')).toBe(2);

    // Searches keep running across the swap; none may fail or see a mix of old and new documents.
    const names = async () => (await engine.search({ q: 'walnut OR lantern', page: 1, pageSize: 100, sort: 'relevance' })).items.map((hit) => hit.name);
    let searching = true;
    const seen: { walnut: number; rebuilt: number }[] = [];
    const searcher = (async () => {
      while (searching) {
        const hits = await names();
        seen.push({ walnut: hits.filter((n) => n.startsWith('Walnut')).length, rebuilt: hits.filter((n) => n.startsWith('Rebuilt')).length });
      }
    })();
    open();
    await rebuilt;
    searching = false;
    await searcher;

    expect(seen.length).toBeGreaterThan(0);
    for (const sample of seen) expect([{ walnut: PRODUCTS - 4, rebuilt: 0 }, { walnut: 0, rebuilt: PRODUCTS - 4 }]).toContainEqual(sample);
    expect(seen.at(-1)).toEqual({ walnut: 0, rebuilt: PRODUCTS - 4 });
    expect(await total('walnut')).toBe(0);
    expect(await total('lantern')).toBe(PRODUCTS - 2);
    expect(await total('edited')).toBe(2);
    const edited = await rows('SELECT name FROM search.documents WHERE product_id = ANY($1::uuid[]) ORDER BY name', [[productId(5), productId(40)]]);
    expect(edited.map((r) => r.name)).toEqual(['Edited Lantern 40', 'Edited Lantern 5']);
    expect(await rows('SELECT 1 FROM search.documents WHERE product_id = ANY($1::uuid[])', [[productId(6), productId(45)]])).toEqual([]);

    // The same indexes under the same names (migrations and entities still agree), no leftovers.
    expect(await indexes()).toEqual(indexesBefore);
    expect(await tables()).toEqual(tablesBefore);
    expect(await terms()).not.toContain('walnut');
    expect(await terms()).toContain('lantern');
  });

  it('lets one rebuild run at a time, and a failed rebuild leaves the live index as it was', async () => {
    const { batches, atGate, open } = gatedBatches([before(1)], []);
    const first = engine.rebuild(batches);
    await atGate;
    await expect(engine.rebuild((async function* () {})())).rejects.toBeInstanceOf(SearchRebuildRunningError);
    open();
    await first;
    expect(await total('walnut')).toBe(1);

    async function* failing() {
      yield [after(2)];
      throw new Error('catalog unreachable');
    }
    await expect(engine.rebuild(failing())).rejects.toThrow('catalog unreachable');
    expect(await total('walnut')).toBe(1);
    expect(await total('lantern')).toBe(0);
    expect(await rows(`SELECT to_regclass('search.documents_next') AS t`)).toEqual([{ t: null }]);
    await engine.index([after(3)]); // live writes no longer go anywhere else
    expect(await total('lantern')).toBe(1);
  });
});
