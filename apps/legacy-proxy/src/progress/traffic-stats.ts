import type { Backend } from '../routing/route-table.js';

const BUCKET_MS = 60_000;
const DAY_BUCKETS = 24 * 60;
export const WINDOWS = { hour: 60, day: DAY_BUCKETS } as const;
export type WindowName = keyof typeof WINDOWS;

export interface TrafficCounts {
  requests: number;
  api: number;
  legacy: number;
  errors: number;
}

/** One route's counters: a ring of one-minute buckets covering the last day. */
class RouteTraffic {
  readonly minutes = new Float64Array(DAY_BUCKETS).fill(-1);
  readonly api = new Uint32Array(DAY_BUCKETS);
  readonly legacy = new Uint32Array(DAY_BUCKETS);
  readonly errors = new Uint32Array(DAY_BUCKETS);
}

/**
 * Requests per route and backend over the last hour and day, in one-minute buckets in memory: they
 * start again from zero when the proxy restarts (Prometheus keeps the long history).
 */
export class TrafficStats {
  private readonly routes = new Map<string, RouteTraffic>();

  constructor(private readonly now: () => number = Date.now) {}

  record(route: string, backend: Backend, error: boolean): void {
    let traffic = this.routes.get(route);
    if (!traffic) this.routes.set(route, (traffic = new RouteTraffic()));
    const minute = Math.floor(this.now() / BUCKET_MS);
    const slot = minute % DAY_BUCKETS;
    if (traffic.minutes[slot] !== minute) {
      traffic.minutes[slot] = minute;
      traffic.api[slot] = traffic.legacy[slot] = traffic.errors[slot] = 0;
    }
    traffic[backend][slot]! += 1;
    if (error) traffic.errors[slot]! += 1;
  }

  counts(route: string, window: WindowName): TrafficCounts {
    const result: TrafficCounts = { requests: 0, api: 0, legacy: 0, errors: 0 };
    const traffic = this.routes.get(route);
    if (!traffic) return result;
    const current = Math.floor(this.now() / BUCKET_MS);
    for (let slot = 0; slot < DAY_BUCKETS; slot++) {
      const minute = traffic.minutes[slot]!;
      if (minute < 0 || current - minute >= WINDOWS[window]) continue;
      result.api += traffic.api[slot]!;
      result.legacy += traffic.legacy[slot]!;
      result.errors += traffic.errors[slot]!;
    }
    result.requests = result.api + result.legacy;
    return result;
  }

  get knownRoutes(): string[] {
    return [...this.routes.keys()];
  }
}
