import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { type CounterChild, type HistogramChild, TalliedCounter, TalliedHistogram } from './tallied-metrics.js';

/** hit: from the cache; shared: waited for another caller's computation; miss: computed (a database read). */
export type CacheReadResult = 'hit' | 'shared' | 'miss';

type RequestLabel = 'method' | 'route' | 'status';

/** One Prometheus registry per app instance (not prom-client's global one, so tests can boot many). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly httpRequests = new TalliedCounter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new TalliedHistogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly dbQueries = new Counter({
    name: 'db_queries_total',
    help: 'Statements sent to PostgreSQL by this instance',
    registers: [this.registry],
  });

  readonly cacheReads = new Counter({
    name: 'cache_reads_total',
    help: 'ReadCache reads by cache (the key namespace, e.g. catalog, search) and result: hit (from the cache), shared (another caller computed it), miss (computed)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  private readonly cacheReadChildren = new Map<string, { inc(): void }>();

  countCacheRead(cache: string, result: CacheReadResult): void {
    const key = `${cache} ${result}`;
    let child = this.cacheReadChildren.get(key);
    if (!child) this.cacheReadChildren.set(key, (child = this.cacheReads.labels({ cache, result })));
    child.inc();
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  // Label children per (method, route, status), so the hot path builds no label object.
  private readonly children = new Map<string, { count: CounterChild<RequestLabel>; duration: HistogramChild<RequestLabel> }>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.children.get(key);
    if (!child) {
      const labels = { method, route, status: String(status) };
      child = { count: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) };
      this.children.set(key, child);
    }
    child.count.inc();
    child.duration.observe(seconds);
  }
}
