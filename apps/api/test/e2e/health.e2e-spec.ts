import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { REDIS, shutDown, type OptionalRedis } from '#platform';
import { body, createTestDatabase, databaseUrl, eventually, TcpProxy, type TestDatabase } from '#testing';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;

describe('health', () => {
  it('is live and ready with database, search engine and Redis up', async () => {
    const api = await startApi();
    try {
      expect(await body(await fetch(`${api.url}/health/live`))).toEqual({ status: 'ok' });
      const ready = await fetch(`${api.url}/health/ready`);
      expect(ready.status).toBe(200);
      const result = await body(ready);
      expect(result.checks).toMatchObject({
        database: { status: 'up' },
        redis: { status: 'up' },
        search: { status: 'up', engine: 'postgres' },
      });
    } finally {
      await api.close();
    }
  });

  it('leaves Redis out of readiness when it is not configured', async () => {
    const api = await startApi({ env: { REDIS_URL: '' } });
    try {
      const result = await body(await fetch(`${api.url}/health/ready`));
      expect(Object.keys(result.checks).sort()).toEqual(['database', 'search']);
    } finally {
      await api.close();
    }
  });

  it('answers 503 while the database is down and recovers by itself when it returns', async () => {
    const db: TestDatabase = await createTestDatabase();
    const relay = new TcpProxy('127.0.0.1', 5432);
    const port = await relay.start();
    const url = new URL(databaseUrl(db.name));
    url.port = String(port);
    const api = await startApi({ db: { ...db, url: url.toString() } });
    try {
      expect((await fetch(`${api.url}/api/v1/system/status`)).status).toBe(200);

      await relay.cut();
      const ready = await fetch(`${api.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toMatch(PROBLEM);
      expect(await body(ready)).toMatchObject({ code: 'HEALTH.NOT_READY', checks: { database: { status: 'down' } } });

      const request = await fetch(`${api.url}/api/v1/system/status`);
      expect(request.status).toBe(503);
      expect(request.headers.get('content-type')).toMatch(PROBLEM);
      expect(request.headers.get('retry-after')).toBe('5');
      expect(await body(request)).toMatchObject({ status: 503, code: 'PLATFORM.UNAVAILABLE' });
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);

      await relay.restore();
      await eventually(async () => (await fetch(`${api.url}/health/ready`)).status === 200);
      expect((await fetch(`${api.url}/api/v1/system/status`)).status).toBe(200);
    } finally {
      await api.close();
      await relay.stop();
      await db.drop();
    }
  });
});

describe('Redis outage', () => {
  it('keeps serving without rate limits, reports not ready, recovers, and still shuts down promptly', async () => {
    const relay = new TcpProxy('127.0.0.1', 6379);
    const port = await relay.start();
    const api = await startApi({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, THROTTLE_LIMIT: '1000' } });
    try {
      expect((await fetch(`${api.url}/api/v1/system/status`)).status).toBe(200);
      await relay.cut();
      expect((await fetch(`${api.url}/api/v1/system/status`)).status).toBe(200);
      const ready = await fetch(`${api.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await body(ready)).toMatchObject({ checks: { redis: { status: 'down' }, database: { status: 'up' } } });

      await relay.restore();
      await eventually(async () => (await fetch(`${api.url}/health/ready`)).status === 200);
      await relay.cut();
      expect(await shutDown(api.app, { delayMs: 0, timeoutMs: 5000 })).toBe(true);
    } finally {
      await relay.stop();
      await api.db.drop();
    }
  });
});

describe('graceful shutdown', () => {
  it('turns readiness false at once, finishes in-flight requests, then closes the pool and Redis', async () => {
    const api = await startApi({ env: { SHUTDOWN_DELAY_MS: '400' } });
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const redis = api.app.get<OptionalRedis>(REDIS);
    const inFlight = fetch(`${api.url}/api/v1/fixtures/slow?ms=700`);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const done = shutDown(api.app, { delayMs: 400, timeoutMs: 5000 });
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await body(ready)).toMatchObject({ code: 'HEALTH.NOT_READY', detail: 'The instance is shutting down' });

    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(await body(slow)).toEqual({ waited: 700 });
    expect(await done).toBe(true);
    expect(dataSource.isInitialized).toBe(false);
    expect(redis?.status).toBe('end');
    await expect(fetch(`${api.url}/health/live`)).rejects.toThrow();
    await api.db.drop();
  });

  it('reports a timeout when work outlasts the bound', async () => {
    const api = await startApi();
    const dataSource = api.app.get<DataSource>(getDataSourceToken());
    const inFlight = fetch(`${api.url}/api/v1/fixtures/slow?ms=1500`).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await shutDown(api.app, { delayMs: 0, timeoutMs: 200 })).toBe(false);
    expect(dataSource.isInitialized).toBe(true);
    await inFlight;
    // The close goes on behind the timeout; let it finish before the database is dropped.
    await eventually(async () => !dataSource.isInitialized);
    await api.db.drop();
  });
});
