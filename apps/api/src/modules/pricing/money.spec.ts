import { mulDivRound, spread } from './money.js';

describe('mulDivRound (half away from zero)', () => {
  it.each([
    [5, 1, 10, 1], // 0.5 -> 1
    [15, 1, 10, 2], // 1.5 -> 2
    [25, 1, 10, 3], // 2.5 -> 3, not banker's 2
    [-5, 1, 10, -1], // -0.5 -> -1
    [-25, 1, 10, -3],
    [14, 1, 10, 1],
    [-14, 1, 10, -1],
    [0, 1900, 10_000, 0],
  ])('%i × %i / %i = %i', (a, b, den, expected) => {
    expect(mulDivRound(a, b, den)).toBe(expected);
  });

  it('stays exact beyond Number.MAX_SAFE_INTEGER in the product', () => {
    // 9e15 × 1900 overflows a double's integer range; the rounded quotient must still be exact.
    expect(mulDivRound(9_000_000_000_000_001, 1900, 10_000)).toBe(1_710_000_000_000_000);
    expect(mulDivRound(1_000_000_000_005, 1, 10)).toBe(100_000_000_001);
  });
});

describe('spread (largest remainder)', () => {
  it('splits exactly proportional amounts exactly', () => {
    expect(spread(50, [100, 300, 100])).toEqual([10, 30, 10]);
  });

  it('gives the units left to the largest remainders and always adds up', () => {
    expect(spread(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(spread(100, [333, 333, 334])).toEqual([33, 33, 34]);
    const shares = spread(997, [1234, 5678, 91, 3]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(997);
  });

  it('breaks equal remainders towards the larger line, then the earlier one', () => {
    expect(spread(1, [2, 4, 2])).toEqual([0, 1, 0]);
    expect(spread(1, [3, 3])).toEqual([1, 0]);
  });

  it('never gives a line more than its own amount', () => {
    expect(spread(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(spread(3, [1, 1, 1])).toEqual([1, 1, 1]);
    const weights = [1, 7, 2, 1, 13];
    for (let total = 0; total <= 24; total++) spread(total, weights).forEach((share, i) => expect(share).toBeLessThanOrEqual(weights[i]));
  });

  it('is all zeros for nothing to spread or nothing to spread over', () => {
    expect(spread(0, [5, 5])).toEqual([0, 0]);
    expect(spread(0, [0, 0])).toEqual([0, 0]);
    expect(spread(0, [])).toEqual([]);
  });
});
