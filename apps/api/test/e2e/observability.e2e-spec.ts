import { body, LogCapture } from '#testing';
import { startApi, type RunningApi } from './api-harness.js';

describe('request ids, logs, metrics and OpenAPI', () => {
  let api: RunningApi;
  const logs = new LogCapture();
  beforeAll(async () => {
    api = await startApi({ logs, env: { LOG_LEVEL: 'info' } });
  });
  afterAll(() => api.close());

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'edge-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('edge-abc-123');
    const generated = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one JSON line per request with id, route, status and duration, secrets redacted', async () => {
    const before = logs.requestLines().length;
    await fetch(`${api.url}/api/v1/fixtures/things/7d3c1f8e-2b4a-4c5d-9e6f-0a1b2c3d4e5f?token=s3cret`, {
      headers: { 'x-request-id': 'log-line-1', authorization: 'Bearer top.secret.jwt', cookie: 'sid=xyz' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logs.requestLines().slice(before);
    expect(lines).toHaveLength(1);
    const [line] = lines as [Record<string, any>];
    expect(line).toMatchObject({
      requestId: 'log-line-1',
      route: '/api/v1/fixtures/things/:id',
      status: 200,
      level: 30,
    });
    expect(typeof line.responseTime).toBe('number');
    expect(line.req.headers.authorization).toBe('[Redacted]');
    expect(line.req.headers.cookie).toBe('[Redacted]');
    expect(line.req.url).toBe('/api/v1/fixtures/things/7d3c1f8e-2b4a-4c5d-9e6f-0a1b2c3d4e5f?token=[Redacted]');
    expect(JSON.stringify(logs.lines)).not.toMatch(/top\.secret|s3cret|sid=xyz/);
  });

  it('logs a 404 and a deliberate 503 at warn, an unexpected 500 at error', async () => {
    const levelOf = async (path: string, requestId: string) => {
      await fetch(`${api.url}${path}`, { headers: { 'x-request-id': requestId } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (logs.requestLines().find((l: any) => l.requestId === requestId) as any)?.level;
    };
    expect(await levelOf('/api/v1/fixtures/no-such-route', 'level-404')).toBe(40);
    expect(await levelOf('/api/v1/fixtures/unavailable', 'level-503')).toBe(40);
    expect(await levelOf('/api/v1/fixtures/boom', 'level-500')).toBe(50);
  });

  it('logs the stack of an unexpected error on the server only', async () => {
    await fetch(`${api.url}/api/v1/fixtures/boom`, { headers: { 'x-request-id': 'boom-1' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const errorLine = logs.lines.find((l) => l.msg === 'unexpected error' && l.requestId === 'boom-1') as any;
    expect(errorLine?.err?.stack).toMatch(/boom/);
  });

  it('exposes Prometheus metrics per route and status, process, pool and queue gauges', async () => {
    await fetch(`${api.url}/api/v1/fixtures/things/not-a-uuid`);
    await fetch(`${api.url}/api/v1/system/status`);
    const response = await fetch(`${api.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/fixtures\/things\/:id",status="400"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/v1\/system\/status",status="200"\} 1/);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^db_pool_connections\{state="max"\} 10$/m);
    expect(text).toMatch(/^db_pool_connections\{state="total"\} [1-9]/m);
    expect(text).toMatch(/^queue_jobs\{queue="fixtures",state="waiting"\} 0$/m);
    expect(text).toMatch(/^outbox_pending_events \d+$/m);
  });

  it('serves the OpenAPI document generated from controllers and the Swagger UI', async () => {
    const document = await body(await fetch(`${api.url}/docs/openapi.json`));
    expect(document.info.title).toBe('Ficus API');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/system/status', '/health/ready', '/api/v1/fixtures/echo']));
    expect(document.components.schemas.Problem.required).toContain('requestId');
    expect(document.components.schemas.EchoDto.required).toEqual(expect.arrayContaining(['name', 'quantity']));
    const ui = await fetch(`${api.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger-ui/i);
  });

  it('puts the API under /api/v1 and health, metrics and docs outside it', async () => {
    expect((await fetch(`${api.url}/api/v1/system/status`)).status).toBe(200);
    expect((await fetch(`${api.url}/system/status`)).status).toBe(404);
    expect((await fetch(`${api.url}/api/v1/health/live`)).status).toBe(404);
  });
});
