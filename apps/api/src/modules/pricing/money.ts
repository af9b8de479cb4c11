/**
 * Integer money arithmetic. Products go through BigInt so that amount × basis points stays exact
 * far beyond Number.MAX_SAFE_INTEGER; every result is an integer of minor units.
 */

/** a × b / den, rounded half away from zero (den > 0). */
export function mulDivRound(a: number, b: number, den: number): number {
  const num = BigInt(a) * BigInt(b);
  const d = BigInt(den);
  const q = num / d; // truncates toward zero
  const r = num % d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return Number(q + (num < 0n ? -1n : 1n));
  return Number(q);
}

/**
 * Splits `total` over `weights` proportionally, largest-remainder method: every share is first
 * floored, then the units left go one each to the shares with the largest remainders (ties: the
 * larger weight, then the earlier position). No share exceeds its weight while total <= sum(weights).
 */
export function spread(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, w) => acc + w, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const t = BigInt(total);
  const s = BigInt(sum);
  const parts = weights.map((w, index) => {
    const product = t * BigInt(w);
    return { index, weight: w, share: Number(product / s), remainder: product % s };
  });
  let left = total - parts.reduce((acc, p) => acc + p.share, 0);
  const order = [...parts].sort((x, y) => (x.remainder === y.remainder ? y.weight - x.weight || x.index - y.index : x.remainder > y.remainder ? -1 : 1));
  for (const part of order) {
    if (left === 0) break;
    part.share += 1;
    left -= 1;
  }
  return parts.map((p) => p.share);
}
