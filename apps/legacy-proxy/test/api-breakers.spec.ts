import { ApiBreakers, type BreakerChange } from '../src/breaker/api-breakers.js';
import type { BreakerSettings } from '../src/breaker/breaker-settings.js';
import type { RouteDefinition } from '../src/routing/route-table.js';

const DEFAULTS: BreakerSettings = { errorRate: 0.5, p99Ms: 0, windowMs: 10_000, minRequests: 4, openMs: 1_000, probes: 2 };
const route = (breaker?: RouteDefinition['breaker']): RouteDefinition => ({ name: 'r', methods: '*', path: '/r', mode: 'api', ...(breaker !== undefined && { breaker }) });

function setup(definition = route()) {
  let now = 1_000_000;
  const changes: BreakerChange[] = [];
  const breakers = new ApiBreakers(DEFAULTS, (change) => changes.push(change), () => now);
  const answer = (failed: boolean, ms = 10, method = 'GET') => {
    const admission = breakers.admit(definition, method);
    if (admission !== 'legacy') breakers.record(definition, admission, failed, ms);
    return admission;
  };
  return { breakers, changes, answer, definition, advance: (ms: number) => (now += ms) };
}

describe('API circuit breaker per route', () => {
  it('stays closed below the minimum number of answers, then trips at the error rate', () => {
    const { breakers, changes, answer } = setup();
    for (const failed of [true, true, true]) expect(answer(failed)).toBe('api');
    expect(breakers.state('r')).toBe('closed');
    answer(false);
    expect(breakers.state('r')).toBe('open');
    expect(changes).toEqual([{ route: 'r', from: 'closed', to: 'open', by: 'breaker', reason: 'error rate 75 % over 4 API answers in 10000 ms (threshold 50 %)' }]);
    expect(answer(false)).toBe('legacy');
  });

  it('forgets answers older than the window', () => {
    const { breakers, answer, advance } = setup();
    answer(true);
    answer(true);
    advance(11_000);
    answer(false);
    answer(false);
    answer(true);
    expect(breakers.state('r')).toBe('closed');
  });

  it('judges at most the last 10,000 answers: older failures leave the count as answers come (batches cut off past the cap)', () => {
    const { breakers, answer } = setup(route({ errorRate: 0.3 }));
    for (let i = 0; i < 2_000; i++) answer(i % 4 === 3); // 25 % failed: below the threshold
    for (let i = 0; i < 12_000; i++) answer(false);
    // the window holds 10,000 successes now: 3,000 failures among the last 10,000 answers trip it
    for (let i = 0; i < 2_900; i++) answer(true);
    expect(breakers.state('r')).toBe('closed');
    expect(breakers.view('r', route({ errorRate: 0.3 }))?.window).toMatchObject({ requests: 10_000, failed: 2_900 });
    for (let i = 0; i < 100; i++) answer(true);
    expect(breakers.state('r')).toBe('open');
  });

  it('trips on p99 latency when the route sets a threshold', () => {
    const { breakers, changes, answer } = setup(route({ p99Ms: 200 }));
    for (const ms of [20, 30, 25, 900]) answer(false, ms);
    expect(breakers.state('r')).toBe('open');
    expect(changes[0]!.reason).toBe('p99 latency 900 ms over 4 API answers in 10000 ms (threshold 200 ms)');
  });

  it('probes one safe request at a time after openMs; closes after enough successes, reopens on a failure', () => {
    const { breakers, changes, answer, advance, definition } = setup();
    for (let i = 0; i < 4; i++) answer(true);
    advance(999);
    expect(answer(false)).toBe('legacy');
    advance(1);
    expect(breakers.admit(definition, 'POST')).toBe('legacy'); // half-open now, but a POST is never a probe
    expect(breakers.state('r')).toBe('half-open');
    expect(breakers.admit(definition, 'GET')).toBe('probe');
    expect(breakers.admit(definition, 'GET')).toBe('legacy'); // one probe at a time
    breakers.record(definition, 'probe', true, 5);
    expect(breakers.state('r')).toBe('open');
    advance(1_000);
    expect(answer(false)).toBe('probe');
    expect(breakers.state('r')).toBe('half-open');
    expect(answer(false)).toBe('probe');
    expect(breakers.state('r')).toBe('closed');
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['closed>open', 'open>half-open', 'half-open>open', 'open>half-open', 'half-open>closed']);
    // A fresh window: the failures from before do not count again.
    expect(answer(true)).toBe('api');
    expect(breakers.state('r')).toBe('closed');
  });

  it('does not stay blocked by a probe whose answer never came (its client left)', () => {
    const { breakers, answer, advance, definition } = setup();
    for (let i = 0; i < 4; i++) answer(true);
    advance(1_000);
    expect(breakers.admit(definition, 'GET')).toBe('probe'); // never recorded
    expect(breakers.admit(definition, 'GET')).toBe('legacy');
    advance(1_001);
    expect(breakers.admit(definition, 'GET')).toBe('probe');
  });

  it('is closed by an admin at once, and is off for a route that says so', () => {
    const { breakers, changes, answer } = setup();
    for (let i = 0; i < 4; i++) answer(true);
    expect(breakers.close('r', 'admin-sub')).toBe(true);
    expect(changes.at(-1)).toMatchObject({ from: 'open', to: 'closed', by: 'admin-sub' });
    expect(breakers.close('r', 'admin-sub')).toBe(false);
    const off = setup(route('off'));
    for (let i = 0; i < 10; i++) expect(off.answer(true)).toBe('api');
    expect(off.breakers.view('r', off.definition)).toBeNull();
  });
});
