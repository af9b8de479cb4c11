/** When a route's API side is judged unhealthy, and how it comes back. */
export interface BreakerSettings {
  /** Trip when at least this share (0-1) of the API's answers in the window failed (5xx, timeout, unreachable). */
  errorRate: number;
  /** Trip when the p99 latency of the API's answers in the window passes this; 0: latency never trips. */
  p99Ms: number;
  windowMs: number;
  /** Fewer API answers than this in the window never trip the breaker. */
  minRequests: number;
  /** How long an open breaker keeps the route on legacy before probing the API again. */
  openMs: number;
  /** Successful probes in a row that close the breaker (one failure opens it again). */
  probes: number;
}

/** A route's `breaker` entry: `off`, or settings that override the proxy's defaults (PROXY_BREAKER_*). */
export type RouteBreaker = 'off' | Partial<BreakerSettings>;

const LIMITS: Record<keyof BreakerSettings, { min: number; max: number; integer: boolean }> = {
  errorRate: { min: 0.01, max: 1, integer: false },
  p99Ms: { min: 0, max: 600_000, integer: true },
  windowMs: { min: 1_000, max: 3_600_000, integer: true },
  minRequests: { min: 1, max: 100_000, integer: true },
  openMs: { min: 100, max: 3_600_000, integer: true },
  probes: { min: 1, max: 1_000, integer: true },
};

/** Checks a route's `breaker` entry; problems are pushed prefixed `breaker.`. */
export function validateBreaker(value: unknown, problems: string[]): RouteBreaker | undefined {
  if (value === undefined) return undefined;
  if (value === 'off' || value === false) return 'off';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`breaker: "off" or a mapping of ${Object.keys(LIMITS).join(', ')} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  const settings: Partial<BreakerSettings> = {};
  for (const [key, raw] of Object.entries(value)) {
    const limit = LIMITS[key as keyof BreakerSettings];
    if (!limit) {
      problems.push(`breaker.${key}: unknown (known: ${Object.keys(LIMITS).join(', ')})`);
      continue;
    }
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < limit.min || raw > limit.max || (limit.integer && !Number.isInteger(raw))) {
      problems.push(`breaker.${key}: must be ${limit.integer ? 'a whole number' : 'a number'} from ${limit.min} to ${limit.max} (got ${JSON.stringify(raw)})`);
      continue;
    }
    settings[key as keyof BreakerSettings] = raw;
  }
  return settings;
}
