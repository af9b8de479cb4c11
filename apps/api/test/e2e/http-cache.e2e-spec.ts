import { body } from '#testing';
import { cachedFixture } from '../fixtures/fixtures.module.js';
import { type RunningApi, startApi } from './api-harness.js';

type StartedApi = Awaited<ReturnType<typeof startApi>>;

const PATH = '/api/v1/fixtures/cached';

describe('HTTP caching of public reads (@HttpCache)', () => {
  let api: StartedApi;
  let second: RunningApi | undefined;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await second?.close();
    await api.close();
  });

  const get = (headers: Record<string, string> = {}, url = api.url) => fetch(`${url}${PATH}`, { headers });
  const replace = (value: { name: string; quantity: number }, url = api.url) =>
    fetch(`${url}${PATH}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

  it('sends a strong ETag, public Cache-Control with the defaults, and Vary', async () => {
    await replace({ name: 'Mug', quantity: 1 });
    const response = await get();
    expect(response.status).toBe(200);
    expect(await body(response)).toEqual({ name: 'Mug', quantity: 1 });
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{20,}"$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
  });

  it('answers 304 without a body when If-None-Match matches, weakly, in a list, or *', async () => {
    const etag = (await get()).headers.get('etag') as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get({ 'if-none-match': ifNoneMatch });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
      expect(response.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    }
    const other = await get({ 'if-none-match': '"other", W/"another"' });
    expect(other.status).toBe(200);
    expect(await body(other)).toEqual({ name: 'Mug', quantity: 1 });
  });

  it('gives changed data a new ETag, so the old one no longer answers 304', async () => {
    const before = (await get()).headers.get('etag') as string;
    expect((await replace({ name: 'Cup', quantity: 2 })).status).toBe(200);
    const after = await get({ 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(await body(after)).toEqual({ name: 'Cup', quantity: 2 });
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('marks the answer private when the request carries an Authorization header', async () => {
    const response = await get({ authorization: 'Bearer some-token' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, max-age=60, stale-while-revalidate=300');
  });

  it('answers HEAD like GET', async () => {
    const etag = (await get()).headers.get('etag') as string;
    const head = await fetch(`${api.url}${PATH}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect((await fetch(`${api.url}${PATH}`, { method: 'HEAD', headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('leaves other routes and methods alone', async () => {
    const put = await replace({ name: 'Cup', quantity: 2 });
    expect(put.headers.get('etag')).toBeNull();
    expect(put.headers.get('cache-control')).toBeNull();
    const echo = await fetch(`${api.url}/api/v1/fixtures/things/3f1c0a5e-7a9b-4c1e-9d2f-0b7e3c5a1d20`);
    expect(echo.headers.get('etag')).toBeNull();
  });

  it('reads through the cache, and a second instance sees an update made through the first', async () => {
    second = await startApi({ db: api.db, env: { HTTP_CACHE_MAX_AGE_S: '10', HTTP_CACHE_SWR_S: '0' } });
    await replace({ name: 'Bowl', quantity: 3 });
    const readsBefore = cachedFixture.reads;
    expect(await body(await get())).toEqual({ name: 'Bowl', quantity: 3 });
    const fromSecond = await get({}, second.url);
    expect(await body(fromSecond)).toEqual({ name: 'Bowl', quantity: 3 });
    expect(fromSecond.headers.get('cache-control')).toBe('public, max-age=10, stale-while-revalidate=0');
    expect(cachedFixture.reads - readsBefore).toBe(1);

    await replace({ name: 'Plate', quantity: 4 });
    expect(await body(await get({}, second.url))).toEqual({ name: 'Plate', quantity: 4 });

    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/^cache_reads_total\{cache="fixtures",result="hit"\} [1-9]/m);
    expect(metrics).toMatch(/^cache_reads_total\{cache="fixtures",result="miss"\} [1-9]/m);
  });
});
