import { connect } from 'node:net';
import { body } from '#testing';
import { startApi, type RunningApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;

describe('API errors are RFC 9457 problems (bad input)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { BODY_LIMIT_BYTES: '4096', IDLE_TIMEOUT_MS: '600' } });
  });
  afterAll(() => api.close());

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('accepts a valid body and transforms it', async () => {
    const response = await post('/api/v1/fixtures/echo', JSON.stringify({ name: 'Mug', quantity: 2 }));
    expect(response.status).toBe(201);
    expect(await body(response)).toEqual({ name: 'Mug', quantity: 2 });
  });

  it('answers malformed JSON with 400', async () => {
    const response = await post('/api/v1/fixtures/echo', '{"name": "Mug",');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    const problem = await body(response);
    expect(problem).toMatchObject({
      type: '/problems/malformed-json',
      title: 'Malformed JSON',
      status: 400,
      instance: '/api/v1/fixtures/echo',
      code: 'REQUEST.MALFORMED_JSON',
      requestId: response.headers.get('x-request-id'),
    });
    expect(typeof problem.detail).toBe('string');
  });

  it('answers a JSON body nested deeper than 64 levels with 400, before anything walks it', async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const depth of [65, 600]) {
      const response = await post('/api/v1/fixtures/echo', nested(depth));
      expect([depth, response.status, response.headers.get('content-type')]).toEqual([depth, 400, expect.stringMatching(PROBLEM)]);
      expect(await body(response)).toMatchObject({ code: 'REQUEST.JSON_TOO_DEEP', title: 'JSON nested too deep' });
    }
    const arrays = await post('/api/v1/fixtures/echo', `${'['.repeat(70)}${']'.repeat(70)}`);
    expect((await body(arrays)).code).toBe('REQUEST.JSON_TOO_DEEP');
    // At the limit it is an ordinary body, validated as usual.
    expect((await body(await post('/api/v1/fixtures/echo', nested(64)))).code).toBe('REQUEST.VALIDATION_FAILED');
  });

  it('answers a wrong content type with 415', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const response = await post('/api/v1/fixtures/echo', 'name=Mug', type);
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      expect(await body(response)).toMatchObject({ status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it('answers an oversized body with 413', async () => {
    const response = await post('/api/v1/fixtures/echo', JSON.stringify({ name: 'x'.repeat(5000), quantity: 1 }));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    expect(await body(response)).toMatchObject({ status: 413, code: 'REQUEST.BODY_TOO_LARGE' });
  });

  it('answers an unknown route with 404', async () => {
    const response = await fetch(`${api.url}/api/v1/no-such-thing?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    expect(await body(response)).toMatchObject({ status: 404, title: 'Not found', instance: '/api/v1/no-such-thing' });
  });

  it('answers a malformed URL with 400 problem+json', async () => {
    const response = await fetch(`${api.url}/api/v1/fixtures/things/%zz`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(PROBLEM);
    expect(await body(response)).toMatchObject({ status: 400, requestId: response.headers.get('x-request-id') });
  });

  it('answers an invalid UUID in a path with 400 naming the parameter', async () => {
    const response = await fetch(`${api.url}/api/v1/fixtures/things/not-a-uuid`);
    expect(response.status).toBe(400);
    expect(await body(response)).toMatchObject({
      code: 'REQUEST.VALIDATION_FAILED',
      errors: [{ field: 'id', message: 'id must be a UUID' }],
    });
    const ok = await fetch(`${api.url}/api/v1/fixtures/things/7d3c1f8e-2b4a-4c5d-9e6f-0a1b2c3d4e5f`);
    expect(ok.status).toBe(200);
  });

  it('lists every bad field, nested ones included', async () => {
    const response = await post(
      '/api/v1/fixtures/echo',
      JSON.stringify({ name: '', quantity: 500, address: { line1: 'Main St 1', countryCode: 'XX' } }),
    );
    expect(response.status).toBe(400);
    const problem = await body(response);
    expect(problem.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['address.countryCode', 'name', 'quantity']);
  });

  it('rejects unknown body fields', async () => {
    const response = await post('/api/v1/fixtures/echo', JSON.stringify({ name: 'Mug', quantity: 1, isAdmin: true }));
    expect(response.status).toBe(400);
    expect((await body(response)).errors).toEqual([{ field: 'isAdmin', message: 'property isAdmin should not exist' }]);
  });

  it('closes the connection of a client that stalls in the middle of its body', async () => {
    const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('error', () => undefined);
    socket.write('POST /api/v1/fixtures/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na');
    const guard = setTimeout(() => socket.destroy(new Error('still open')), 5000);
    const closedAt = await closed;
    clearTimeout(guard);
    expect(socket.errored).toBeNull();
    expect(closedAt - started).toBeGreaterThanOrEqual(500);
  });

  it('answers an unexpected error with a 500 that leaks nothing', async () => {
    const response = await fetch(`${api.url}/api/v1/fixtures/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'INTERNAL', requestId: response.headers.get('x-request-id') });
    expect(text).not.toMatch(/hunter2|boom\.js|postgres:|at /);
  });
});
