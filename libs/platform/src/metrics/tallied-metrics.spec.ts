import { Counter, Histogram, Registry } from 'prom-client';
import { TalliedCounter, TalliedHistogram } from './tallied-metrics.js';

const BUCKETS = [0.001, 0.005, 0.1, 1];
const OBSERVATIONS: [string, number][] = [
  ['a', 0.0004],
  ['a', 0.001],
  ['b', 0.05],
  ['a', 0.7],
  ['b', 3],
  ['a', 0.001],
];

/** The same observations through prom-client's own metrics and through the tallied ones. */
function registries() {
  const theirs = new Registry();
  const ours = new Registry();
  const help = 'h';
  const counter = new Counter({ name: 'x_total', help, labelNames: ['route', 'status'], registers: [theirs] });
  const histogram = new Histogram({ name: 'x_seconds', help, labelNames: ['route'], buckets: BUCKETS, registers: [theirs] });
  const talliedCounter = new TalliedCounter({ name: 'x_total', help, labelNames: ['route', 'status'], registers: [ours] });
  const talliedHistogram = new TalliedHistogram({ name: 'x_seconds', help, labelNames: ['route'], buckets: BUCKETS, registers: [ours] });
  for (const [route, seconds] of OBSERVATIONS) {
    counter.inc({ route, status: '200' });
    histogram.observe({ route }, seconds);
    talliedCounter.labels({ route, status: '200' }).inc();
    talliedHistogram.labels({ route }).observe(seconds);
  }
  talliedCounter.labels({ route: 'a', status: '200' }).inc(2);
  counter.inc({ route: 'a', status: '200' }, 2);
  return { theirs, ours, talliedHistogram };
}

describe('tallied metrics', () => {
  it('expose exactly what prom-client exposes for the same observations', async () => {
    const { theirs, ours } = registries();
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('x_total{route="a",status="200"} 6');
    expect(text).toContain('x_seconds_bucket{le="0.001",route="a"} 3');
    expect(text).toContain('x_seconds_bucket{le="+Inf",route="b"} 2');
  });

  it('give the JSON form prom-client gives, and reset with the registry', async () => {
    const { theirs, ours } = registries();
    // prom-client's samples also carry an empty `exemplar`.
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((metric) => ({ ...metric, values: metric.values.map((sample) => {
        const { exemplar: _, ...rest } = sample as typeof sample & { exemplar?: unknown };
        return rest;
      }) }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(withoutExemplars(await theirs.getMetricsAsJSON()));
    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain('route="a"');
  });

  it('hand back the same child for the same labels', () => {
    const { talliedHistogram } = registries();
    expect(talliedHistogram.labels({ route: 'a' })).toBe(talliedHistogram.labels({ route: 'a' }));
    expect(talliedHistogram.labels({ route: 'a' }).count).toBe(4);
  });
});
