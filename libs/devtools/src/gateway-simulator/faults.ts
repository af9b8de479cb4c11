import { invalidRequest } from './errors.js';
import { seededRandom } from './seeded-random.js';

export interface FaultSettings {
  /** Added to every /v1 request before it is handled. */
  latencyMs: number;
  /** Share of payment intents with an ordinary token that are declined (card_declined). */
  declineRate: number;
  /** Share of mutating requests answered 500/503 with nothing changed. */
  errorRate: number;
  /** Share of mutating requests held without an answer, nothing changed. */
  timeoutRate: number;
  /** Share of mutating requests that take effect but whose connection is destroyed unanswered. */
  lostResponseRate: number;
  /** How long a "timeout" holds the request before dropping the connection. */
  timeoutHoldMs: number;
  seed: number;
}

/** `server_error` answers 500, `unavailable` 503; both change nothing. */
export type TransportFault = 'none' | 'server_error' | 'unavailable' | 'timeout' | 'lost_response';

export const NO_FAULTS: Omit<FaultSettings, 'seed'> = {
  latencyMs: 0,
  declineRate: 0,
  errorRate: 0,
  timeoutRate: 0,
  lostResponseRate: 0,
  timeoutHoldMs: 30_000,
};

const RATES = ['declineRate', 'errorRate', 'timeoutRate', 'lostResponseRate'] as const;
const DURATIONS = ['latencyMs', 'timeoutHoldMs'] as const;
const MAX_DURATION_MS = 120_000;

/** Reads a `PUT /_control/faults` body: fields left out are off (0), or their default. */
export function parseFaultSettings(input: unknown, currentSeed: number): FaultSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidRequest('parameter_invalid', 'Expected a JSON object of fault settings');
  const body = input as Record<string, unknown>;
  const known = new Set<string>([...RATES, ...DURATIONS, 'seed']);
  for (const key of Object.keys(body)) if (!known.has(key)) throw invalidRequest('parameter_unknown', `Received unknown parameter: ${key}`, key);
  const settings: FaultSettings = { ...NO_FAULTS, seed: currentSeed };
  for (const name of RATES) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidRequest('parameter_invalid', `${name} must be a number from 0 to 1`, name);
    settings[name] = value;
  }
  for (const name of DURATIONS) {
    const value = body[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_DURATION_MS) throw invalidRequest('parameter_invalid', `${name} must be an integer from 0 to ${MAX_DURATION_MS}`, name);
    settings[name] = value as number;
  }
  if (body.seed !== undefined) {
    if (!Number.isInteger(body.seed) || (body.seed as number) < 0 || (body.seed as number) > 0xffffffff) throw invalidRequest('parameter_invalid', 'seed must be an unsigned 32-bit integer', 'seed');
    settings.seed = body.seed as number;
  }
  if (settings.errorRate + settings.timeoutRate + settings.lostResponseRate > 1) {
    throw invalidRequest('parameter_invalid', 'errorRate + timeoutRate + lostResponseRate must not exceed 1');
  }
  return settings;
}

/** The current fault settings and the seeded dice they are rolled with. */
export class FaultInjector {
  private random: () => number;

  constructor(private current: FaultSettings) {
    this.random = seededRandom(current.seed);
  }

  get settings(): FaultSettings {
    return { ...this.current };
  }

  /** Replaces the settings; the dice restart from the seed whenever one is given or it changes. */
  configure(settings: FaultSettings, reseed: boolean): void {
    this.current = settings;
    if (reseed) this.random = seededRandom(settings.seed);
  }

  /** One roll per mutating request, in arrival order. */
  rollTransportFault(): TransportFault {
    const roll = this.random();
    const { errorRate, timeoutRate, lostResponseRate } = this.current;
    if (roll < errorRate / 2) return 'server_error';
    if (roll < errorRate) return 'unavailable';
    if (roll < errorRate + timeoutRate) return 'timeout';
    if (roll < errorRate + timeoutRate + lostResponseRate) return 'lost_response';
    return 'none';
  }

  /** One roll per new payment intent with an ordinary token. */
  rollDecline(): boolean {
    return this.random() < this.current.declineRate;
  }
}
