import { TalliedCounter, TalliedHistogram } from '#platform';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Backend } from './route-table.js';

/**
 * Per route (the route file's names, so the label stays bounded), per backend that answered:
 * requests by status, latency, and fallbacks from the API to legacy by reason.
 */
export class RouteMetrics {
  private readonly requests: TalliedCounter<'route' | 'backend' | 'status'>;
  private readonly duration: TalliedHistogram<'route' | 'backend'>;
  private readonly fallbacks: Counter<'route' | 'reason'>;
  private readonly errors: Counter<'route' | 'backend' | 'reason'>;
  private readonly shadow: Counter<'route' | 'result'>;
  private readonly breakerState: Gauge<'route'>;
  private readonly breakerChanges: Counter<'route' | 'to'>;
  private readonly apiShare: Gauge<'route' | 'window'>;
  private shares: () => { route: string; window: string; share: number }[] = () => [];
  // Label children cached by key, so the hot path builds no label object.
  private readonly children = new Map<string, unknown>();

  constructor(registry: Registry) {
    this.requests = new TalliedCounter({
      name: 'proxy_requests_total',
      help: 'Proxied requests by route name (or "unmatched"), backend that answered, and status',
      labelNames: ['route', 'backend', 'status'] as const,
      registers: [registry],
    });
    this.duration = new TalliedHistogram({
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
    this.errors = new Counter({
      name: 'proxy_upstream_errors_total',
      help: 'Upstream failures by route name, backend and reason (5xx answered, timeout, unreachable); an API failure a fallback covered counts too',
      labelNames: ['route', 'backend', 'reason'] as const,
      registers: [registry],
    });
    this.shadow = new Counter({
      name: 'proxy_shadow_results_total',
      help: 'Shadow copies by route name and result: match, mismatch, or why none was compared (timeout, unreachable, too-large, busy)',
      labelNames: ['route', 'result'] as const,
      registers: [registry],
    });
    this.breakerState = new Gauge({
      name: 'proxy_breaker_state',
      help: "A route's API circuit breaker: 0 closed, 1 half-open (probing), 2 open (the route is on legacy)",
      labelNames: ['route'] as const,
      registers: [registry],
    });
    this.breakerChanges = new Counter({
      name: 'proxy_breaker_transitions_total',
      help: 'Circuit breaker state changes by route name and new state',
      labelNames: ['route', 'to'] as const,
      registers: [registry],
    });
    const metrics = this;
    this.apiShare = new Gauge({
      name: 'proxy_api_share_ratio',
      help: 'Share of a route\'s requests (route "_all": of every request) the new API served over the window (1h, 24h); resets on restart',
      labelNames: ['route', 'window'] as const,
      registers: [registry],
      collect() {
        metrics.apiShare.reset();
        for (const { route, window, share } of metrics.shares()) metrics.apiShare.set({ route, window }, share);
      },
    });
  }

  /** The migration progress, read at each scrape. */
  trackApiShare(shares: () => { route: string; window: string; share: number }[]): void {
    this.shares = shares;
  }

  countUpstreamError(route: string, backend: Backend, reason: string): void {
    this.child(`e ${route} ${backend} ${reason}`, () => this.errors.labels({ route, backend, reason })).inc();
  }

  countShadow(route: string, result: string): void {
    this.child(`s ${route} ${result}`, () => this.shadow.labels({ route, result })).inc();
  }

  breakerChanged(route: string, to: 'closed' | 'half-open' | 'open'): void {
    this.breakerState.set({ route }, to === 'closed' ? 0 : to === 'half-open' ? 1 : 2);
    this.breakerChanges.inc({ route, to });
  }

  observe(route: string, backend: Backend, status: number, seconds: number): void {
    const answered = this.child(`r ${route} ${backend} ${status}`, () => ({
      count: this.requests.labels({ route, backend, status: String(status) }),
      duration: this.duration.labels({ route, backend }),
    }));
    answered.count.inc();
    answered.duration.observe(seconds);
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
