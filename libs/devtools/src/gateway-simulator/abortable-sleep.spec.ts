import { getEventListeners } from 'node:events';
import { abortableSleep } from './abortable-sleep.js';

describe('abortableSleep', () => {
  it('leaves no abort listener behind once it has slept', async () => {
    const controller = new AbortController();
    await Promise.all([abortableSleep(5, controller.signal), abortableSleep(10, controller.signal)]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('wakes at once when aborted', async () => {
    const controller = new AbortController();
    const began = performance.now();
    const sleeping = abortableSleep(10_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(performance.now() - began).toBeLessThan(1_000);
  });
});
