// Bare Fastify doing by hand what the platform must do on every request: helmet's API headers,
// an X-Request-Id, and the per-route Prometheus counter and histogram.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { API_HELMET, helmetHeaders } from '../../libs/platform/src/http/security-headers.js';

const registry = new Registry();
const count = new Counter({ name: 'c', help: 'c', labelNames: ['method', 'route', 'status'], registers: [registry] });
const duration = new Histogram({ name: 'h', help: 'h', labelNames: ['method', 'route', 'status'], registers: [registry] });
const headers = helmetHeaders(API_HELMET);
const children = new Map<string, [{ inc(): void }, { observe(v: number): void }]>();

const app = Fastify({ logger: false, genReqId: () => randomUUID() });
app.addHook('onRequest', (request, reply, done) => {
  reply.headers(headers);
  reply.header('x-request-id', request.id);
  done();
});
app.addHook('onResponse', (request, reply, done) => {
  const route = request.routeOptions.url ?? 'unmatched';
  const key = `${request.method} ${reply.statusCode} ${route}`;
  let child = children.get(key);
  if (!child) {
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    child = [count.labels(labels), duration.labels(labels)];
    children.set(key, child);
  }
  child[0].inc();
  child[1].observe(reply.elapsedTime / 1000);
  done();
});
app.get('/health/live', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
