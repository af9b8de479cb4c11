import type { Difference } from './json-diff.js';
import { isSecretName, REDACTED, redact, redactUrl } from './redact.js';
import type { MismatchKind } from './shadow-comparer.js';

/** Why a shadow call produced no comparison. */
export type ShadowFailure = 'timeout' | 'unreachable' | 'too-large' | 'busy';

export interface ShadowSample {
  at: string;
  requestId: string;
  method: string;
  url: string;
  kind: MismatchKind;
  status: { legacy: number; api: number };
  differences: Difference[];
}

class RouteShadowStats {
  compared = 0;
  matched = 0;
  readonly mismatches: Record<MismatchKind, number> = { status: 0, body: 0, fields: 0 };
  readonly failures: Record<ShadowFailure, number> = { timeout: 0, unreachable: 0, 'too-large': 0, busy: 0 };
  readonly samples: ShadowSample[] = [];
  /** The latest outcomes (true: matched), oldest first, for the promotion gate. */
  readonly recent: boolean[] = [];
}

export interface RouteShadowView {
  route: string;
  compared: number;
  matched: number;
  matchRate: number | null;
  recent: { size: number; matched: number; matchRate: number | null };
  mismatches: Record<MismatchKind, number>;
  failures: Record<ShadowFailure, number>;
  samples: ShadowSample[];
}

/** Whether a route's recent shadow comparisons allow it onto the API, and why not. */
export type GateVerdict = { open: true; matchRate: number } | { open: false; reason: string };

/** What a snapshot file holds per route. */
type RouteShadowRecord = Pick<RouteShadowStats, 'compared' | 'matched' | 'mismatches' | 'failures' | 'samples' | 'recent'>;

/** Shadow outcomes per route, in memory; `snapshot()` and `restore()` carry them across a restart. */
export class ShadowStats {
  private readonly routes = new Map<string, RouteShadowStats>();
  /** Changed since the last snapshot. */
  dirty = false;

  constructor(private readonly options: { window: number; samples: number; minMatchRate: number }) {}

  recordComparison(route: string, match: boolean, sample?: Omit<ShadowSample, 'at' | 'url' | 'differences'> & { url: string; differences: Difference[] }): void {
    const stats = this.of(route);
    this.dirty = true;
    stats.compared += 1;
    if (match) stats.matched += 1;
    stats.recent.push(match);
    if (stats.recent.length > this.options.window) stats.recent.shift();
    if (match || !sample) return;
    stats.mismatches[sample.kind] += 1;
    stats.samples.push({
      ...sample,
      at: new Date().toISOString(),
      url: redactUrl(sample.url),
      differences: sample.differences.map(redactDifference),
    });
    if (stats.samples.length > this.options.samples) stats.samples.shift();
  }

  recordFailure(route: string, failure: ShadowFailure): void {
    this.of(route).failures[failure] += 1;
    this.dirty = true;
  }

  snapshot(): Record<string, RouteShadowRecord> {
    this.dirty = false;
    return Object.fromEntries([...this.routes].map(([route, { compared, matched, mismatches, failures, samples, recent }]) => [route, { compared, matched, mismatches, failures, samples, recent }]));
  }

  /** Takes back a snapshot (a file written by an earlier run); entries of the wrong shape are skipped. */
  restore(snapshot: unknown): void {
    if (typeof snapshot !== 'object' || snapshot === null) return;
    for (const [route, record] of Object.entries(snapshot as Record<string, Partial<RouteShadowRecord>>)) {
      if (typeof record?.compared !== 'number' || typeof record.matched !== 'number' || !Array.isArray(record.recent) || !Array.isArray(record.samples)) continue;
      const stats = this.of(route);
      Object.assign(stats, { compared: record.compared, matched: record.matched });
      Object.assign(stats.mismatches, record.mismatches);
      Object.assign(stats.failures, record.failures);
      stats.samples.splice(0, stats.samples.length, ...record.samples.slice(-this.options.samples));
      stats.recent.splice(0, stats.recent.length, ...record.recent.filter((r) => typeof r === 'boolean').slice(-this.options.window));
    }
  }

  gate(route: string): GateVerdict {
    const { window, minMatchRate } = this.options;
    const recent = this.routes.get(route)?.recent ?? [];
    const needed = `${formatRate(minMatchRate)} of the last ${window} shadow comparisons`;
    if (recent.length < window) return { open: false, reason: `route "${route}" has ${recent.length} shadow comparisons; promotion needs a match rate of ${needed}` };
    const rate = recent.filter(Boolean).length / recent.length;
    if (rate < minMatchRate) return { open: false, reason: `route "${route}" matched ${formatRate(rate)} of its last ${window} shadow comparisons; promotion needs ${formatRate(minMatchRate)}` };
    return { open: true, matchRate: rate };
  }

  view(routes: readonly string[]): RouteShadowView[] {
    return routes.map((route) => {
      const stats = this.routes.get(route) ?? new RouteShadowStats();
      const recentMatched = stats.recent.filter(Boolean).length;
      return {
        route,
        compared: stats.compared,
        matched: stats.matched,
        matchRate: stats.compared === 0 ? null : stats.matched / stats.compared,
        recent: { size: stats.recent.length, matched: recentMatched, matchRate: stats.recent.length === 0 ? null : recentMatched / stats.recent.length },
        mismatches: { ...stats.mismatches },
        failures: { ...stats.failures },
        samples: [...stats.samples],
      };
    });
  }

  /** Routes that have any shadow record (a route since renamed or moved on keeps its history until restart). */
  get knownRoutes(): string[] {
    return [...this.routes.keys()];
  }

  private of(route: string): RouteShadowStats {
    let stats = this.routes.get(route);
    if (!stats) this.routes.set(route, (stats = new RouteShadowStats()));
    return stats;
  }
}

/** A difference as a sample keeps it: values under a secret-looking key blanked whole, others redacted. */
function redactDifference(difference: Difference): Difference {
  const key = /([\w$-]+)"?\]?$/.exec(difference.path)?.[1] ?? '';
  const hide = (value: unknown) => (isSecretName(key) ? REDACTED : redact(value));
  return { ...difference, ...('legacy' in difference && { legacy: hide(difference.legacy) }), ...('api' in difference && { api: hide(difference.api) }) };
}

const formatRate = (rate: number) => `${Math.round(rate * 1000) / 10} %`;
