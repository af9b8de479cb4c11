import { Counter, Histogram, type Registry } from 'prom-client';
import type { Backend } from './route-table.js';

/**
 * Per route (the route file's names, so the label stays bounded), per backend that answered:
 * requests by status, latency, and fallbacks from the API to legacy by reason.
 */
export class RouteMetrics {
  private readonly requests: Counter<'route' | 'backend' | 'status'>;
  private readonly duration: Histogram<'route' | 'backend'>;
  private readonly fallbacks: Counter<'route' | 'reason'>;
  // Label children cached by key, so the hot path skips prom-client's label hashing.
  private readonly children = new Map<string, unknown>();

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'proxy_requests_total',
      help: 'Proxied requests by route name (or "unmatched"), backend that answered, and status',
      labelNames: ['route', 'backend', 'status'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'proxy_request_duration_seconds',
      help: 'Proxied request latency by route name and backend that answered (a fallback includes the failed API attempt)',
      labelNames: ['route', 'backend'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.fallbacks = new Counter({
      name: 'proxy_fallbacks_total',
      help: 'api-with-fallback requests served by legacy, by route name and reason (5xx, timeout, unreachable)',
      labelNames: ['route', 'reason'] as const,
      registers: [registry],
    });
  }

  observe(route: string, backend: Backend, status: number, seconds: number): void {
    this.child(`r ${route} ${backend} ${status}`, () => this.requests.labels({ route, backend, status: String(status) })).inc();
    this.child(`d ${route} ${backend}`, () => this.duration.labels({ route, backend })).observe(seconds);
  }

  countFallback(route: string, reason: string): void {
    this.child(`f ${route} ${reason}`, () => this.fallbacks.labels({ route, reason })).inc();
  }

  private child<T extends object>(key: string, create: () => T): T {
    let child = this.children.get(key) as T | undefined;
    if (!child) this.children.set(key, (child = create()));
    return child;
  }
}
