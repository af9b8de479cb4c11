import { jest } from '@jest/globals';
import { LocalEntries } from './local-entries.js';

describe('LocalEntries', () => {
  it('evicts the least recently used entry beyond its size, and what has expired', () => {
    jest.useFakeTimers({ now: 0 });
    const entries = new LocalEntries(2);
    entries.set('a', 1, 1000);
    entries.set('b', 2, 1000);
    entries.get('a'); // a is now the most recently used
    entries.set('c', 3, 1000);
    expect([entries.get('a'), entries.get('b'), entries.get('c')]).toEqual([{ value: 1 }, undefined, { value: 3 }]);
    jest.setSystemTime(1000);
    expect(entries.get('a')).toBeUndefined();
    jest.useRealTimers();
  });

  it('stores nothing with a size of 0, and keeps null values apart from absent ones', () => {
    const none = new LocalEntries(0);
    none.set('a', 1, 1000);
    expect(none.get('a')).toBeUndefined();
    const entries = new LocalEntries(1);
    entries.set('n', null, 1000);
    expect(entries.get('n')).toEqual({ value: null });
  });
});
