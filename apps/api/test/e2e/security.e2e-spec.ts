import { randomUUID } from 'node:crypto';
import { body, createTestDatabase, type TestDatabase } from '#testing';
import { startApi } from './api-harness.js';

describe('security baseline', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('sends helmet headers: the API profile on JSON, the document profile on /docs', async () => {
    const api = await startApi({ db });
    try {
      const json = await fetch(`${api.url}/api/v1/system/status`);
      expect(json.headers.get('x-content-type-options')).toBe('nosniff');
      expect(json.headers.get('x-frame-options')).toBe('DENY');
      expect(json.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(json.headers.get('content-security-policy')).toBe(`default-src 'none';frame-ancestors 'none'`);
      const docs = await fetch(`${api.url}/docs`);
      expect(docs.headers.get('content-security-policy')).toMatch(/script-src 'self' 'unsafe-inline'/);
      expect(docs.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    } finally {
      await api.close();
    }
  });

  it('allows only the configured CORS origins', async () => {
    const api = await startApi({ db, env: { CORS_ORIGINS: 'https://shop.example,https://admin.example' } });
    try {
      const preflight = await fetch(`${api.url}/api/v1/fixtures/echo`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const foreign = await fetch(`${api.url}/api/v1/system/status`, { headers: { origin: 'https://evil.example' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await api.close();
    }
  });

  it('allows any origin with CORS_ORIGINS=* but never with credentials', async () => {
    const api = await startApi({ db, env: { CORS_ORIGINS: '*' } });
    try {
      const response = await fetch(`${api.url}/api/v1/system/status`, { headers: { origin: 'https://anyone.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBe('https://anyone.example');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await api.close();
    }
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const api = await startApi({ db });
    try {
      const response = await fetch(`${api.url}/api/v1/system/status`, { headers: { origin: 'https://shop.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await api.close();
    }
  });

  it('rate limits with a 429 problem and Retry-After, shared by two instances through Redis', async () => {
    // A fresh prefix gives this test its own counters in the shared Redis.
    const env = { THROTTLE_LIMIT: '3', THROTTLE_TTL_MS: '60000', REDIS_KEY_PREFIX: `${process.env.FICUS_TEST_REDIS_PREFIX}${randomUUID()}:` };
    const first = await startApi({ db, env });
    const second = await startApi({ db, env });
    try {
      const statuses = [];
      for (const api of [first, second, first, second]) {
        statuses.push((await fetch(`${api.url}/api/v1/system/status`)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await fetch(`${first.url}/api/v1/system/status`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await body(limited)).toMatchObject({ status: 429, code: 'HTTP.TOO_MANY_REQUESTS' });
      expect((await fetch(`${first.url}/health/live`)).status).toBe(200);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
