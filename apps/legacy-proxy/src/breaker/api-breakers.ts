import type { RouteDefinition } from '../routing/route-table.js';
import type { BreakerSettings } from './breaker-settings.js';
import { OutcomeWindow } from './outcome-window.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Where a request its route would send to the API goes. */
export type Admission = 'api' | 'probe' | 'legacy';

export interface BreakerChange {
  route: string;
  from: BreakerState;
  to: BreakerState;
  reason: string;
  /** `breaker`: the proxy decided; otherwise the admin who did. */
  by: string;
}

export interface BreakerView {
  route: string;
  state: BreakerState;
  since: string;
  reason: string | null;
  trips: number;
  window: { requests: number; failed: number; errorRate: number | null; p99Ms: number | null };
}

const MAX_OUTCOMES = 10_000;
const P99_EVERY_MS = 100;
const PROBE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class RouteBreakerState {
  state: BreakerState = 'closed';
  since = Date.now();
  reason: string | null = null;
  trips = 0;
  readonly outcomes = new OutcomeWindow(MAX_OUTCOMES);
  probesInFlight = 0;
  probeStartedAt = 0;
  probeSuccesses = 0;
  lastP99Check = 0;
}

/**
 * One circuit breaker per route on its API side. Closed: the route's API traffic flows and its
 * outcomes are judged over a sliding window. Open (error rate or p99 over the threshold, with at
 * least `minRequests` answers): the route is served by legacy for `openMs`. Then half-open: one
 * safe request at a time probes the API; `probes` successes in a row close it (with a fresh
 * window), one failure opens it again. The asymmetry is the hysteresis: one bad window trips it,
 * only sustained success brings the route back; an admin may close it at once.
 */
export class ApiBreakers {
  private readonly routes = new Map<string, RouteBreakerState>();
  private readonly settings = new WeakMap<RouteDefinition, BreakerSettings>();

  constructor(
    private readonly defaults: BreakerSettings,
    private readonly onChange: (change: BreakerChange) => void,
    private readonly now: () => number = Date.now,
  ) {}

  settingsFor(definition: RouteDefinition | undefined): BreakerSettings | null {
    if (!definition || definition.breaker === 'off') return null;
    // Asked twice a request; a table's definitions never change (an edit makes a new table).
    let settings = this.settings.get(definition);
    if (!settings) this.settings.set(definition, (settings = { ...this.defaults, ...definition.breaker }));
    return settings;
  }

  admit(definition: RouteDefinition | undefined, method: string): Admission {
    const settings = this.settingsFor(definition);
    const breaker = definition && this.routes.get(definition.name);
    if (!settings || !breaker || breaker.state === 'closed') return 'api';
    if (breaker.state === 'open') {
      if (this.now() - breaker.since < settings.openMs) return 'legacy';
      this.move(definition.name, breaker, 'half-open', `open for ${settings.openMs} ms: probing the API`, 'breaker');
    }
    // A probe whose answer never came (its client left before the hooks ran) must not block the next.
    if (breaker.probesInFlight > 0 && this.now() - breaker.probeStartedAt > settings.openMs) breaker.probesInFlight = 0;
    if (breaker.probesInFlight > 0 || !PROBE_METHODS.has(method)) return 'legacy';
    breaker.probesInFlight += 1;
    breaker.probeStartedAt = this.now();
    return 'probe';
  }

  /** An answer (or failure) of the API for a request admitted as `api` or `probe`. */
  record(definition: RouteDefinition | undefined, admission: Admission, failed: boolean, ms: number): void {
    const settings = this.settingsFor(definition);
    if (!settings || !definition || admission === 'legacy') return;
    const breaker = this.of(definition.name);
    if (admission === 'probe') return this.recordProbe(definition.name, breaker, settings, failed);
    if (breaker.state !== 'closed') return; // an answer to a request admitted before the breaker opened
    const now = this.now();
    const { outcomes } = breaker;
    outcomes.push(now, ms, failed);
    outcomes.dropBefore(now - settings.windowMs);
    const count = outcomes.size;
    if (count < settings.minRequests) return;
    const failures = outcomes.failures;
    if (failures / count >= settings.errorRate) {
      return this.trip(definition.name, breaker, `error rate ${percent(failures / count)} over ${count} API answers in ${settings.windowMs} ms (threshold ${percent(settings.errorRate)})`);
    }
    if (settings.p99Ms > 0 && now - breaker.lastP99Check >= P99_EVERY_MS) {
      breaker.lastP99Check = now;
      const p99 = percentile99(outcomes.since(-Infinity).latencies);
      if (p99 > settings.p99Ms) this.trip(definition.name, breaker, `p99 latency ${Math.round(p99)} ms over ${count} API answers in ${settings.windowMs} ms (threshold ${settings.p99Ms} ms)`);
    }
  }

  /** An admin sends the route back to the API at once. Returns false when it was not open. */
  close(route: string, by: string): boolean {
    const breaker = this.routes.get(route);
    if (!breaker || breaker.state === 'closed') return false;
    this.move(route, breaker, 'closed', 'closed by an admin', by);
    return true;
  }

  state(route: string): BreakerState {
    return this.routes.get(route)?.state ?? 'closed';
  }

  view(route: string, definition: RouteDefinition | undefined): BreakerView | null {
    const settings = this.settingsFor(definition);
    if (!settings) return null;
    const breaker = this.routes.get(route) ?? new RouteBreakerState();
    const recent = breaker.outcomes.since(this.now() - settings.windowMs);
    const { requests, failed } = recent;
    return {
      route,
      state: breaker.state,
      since: new Date(breaker.since).toISOString(),
      reason: breaker.reason,
      trips: breaker.trips,
      window: { requests, failed, errorRate: requests ? failed / requests : null, p99Ms: requests ? Math.round(percentile99(recent.latencies)) : null },
    };
  }

  private recordProbe(route: string, breaker: RouteBreakerState, settings: BreakerSettings, failed: boolean): void {
    breaker.probesInFlight = Math.max(0, breaker.probesInFlight - 1);
    if (breaker.state !== 'half-open') return;
    if (failed) return this.trip(route, breaker, 'a probe of the API failed');
    breaker.probeSuccesses += 1;
    if (breaker.probeSuccesses >= settings.probes) this.move(route, breaker, 'closed', `${breaker.probeSuccesses} probes of the API succeeded`, 'breaker');
  }

  private trip(route: string, breaker: RouteBreakerState, reason: string): void {
    breaker.trips += 1;
    this.move(route, breaker, 'open', reason, 'breaker');
  }

  private move(route: string, breaker: RouteBreakerState, to: BreakerState, reason: string, by: string): void {
    const from = breaker.state;
    Object.assign(breaker, { state: to, since: this.now(), reason, probeSuccesses: 0 });
    breaker.outcomes.clear();
    if (to !== 'half-open') breaker.probesInFlight = 0;
    this.onChange({ route, from, to, reason, by });
  }

  private of(route: string): RouteBreakerState {
    let breaker = this.routes.get(route);
    if (!breaker) this.routes.set(route, (breaker = new RouteBreakerState()));
    return breaker;
  }
}

function percentile99(latencies: number[]): number {
  const sorted = latencies.sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;
