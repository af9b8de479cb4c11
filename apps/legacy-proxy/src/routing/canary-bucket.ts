import { createHash } from 'node:crypto';

/**
 * A shopper's place in a canary group, from 0 (inclusive) to 100 (exclusive) in steps of 0.01.
 * Stable for one shopper and group; the group is hashed in so that groups split independently.
 */
export function canaryBucket(shopperId: string, group: string): number {
  const digest = createHash('sha1').update(`${group}\n${shopperId}`).digest();
  return (digest.readUInt32BE(0) % 10_000) / 100;
}

/**
 * Whether a bucket is on the API at a given percentage. Monotonic in the percentage: raising it
 * only adds shoppers (those between the old and new thresholds), lowering it only removes some.
 */
export const inCanary = (bucket: number, percent: number): boolean => bucket < percent;
