/**
 * A route's latest API answers, oldest first, in a fixed ring of typed arrays. A breaker records
 * one per request: as objects living for seconds, each would be copied by the young-generation
 * collector and promoted before it died, a cost paid on every request of a cut-over route.
 */
export class OutcomeWindow {
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  private readonly failed: Uint8Array;
  private start = 0;
  /** Answers in the window. */
  size = 0;
  /** Failed answers among them, kept as they come and go. */
  failures = 0;

  constructor(private readonly capacity: number) {
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
    this.failed = new Uint8Array(capacity);
  }

  /** Adds an answer; past the capacity the oldest leaves. */
  push(at: number, ms: number, failed: boolean): void {
    if (this.size === this.capacity) this.dropOldest();
    const slot = (this.start + this.size) % this.capacity;
    this.at[slot] = at;
    this.ms[slot] = ms;
    this.failed[slot] = failed ? 1 : 0;
    this.size += 1;
    if (failed) this.failures += 1;
  }

  /** Lets the answers older than `horizon` leave. */
  dropBefore(horizon: number): void {
    while (this.size > 0 && this.at[this.start]! < horizon) this.dropOldest();
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
    this.failures = 0;
  }

  /** The answers at or after `since`: how many, how many failed, and their latencies. */
  since(since: number): { requests: number; failed: number; latencies: number[] } {
    const latencies: number[] = [];
    let failed = 0;
    for (let i = 0; i < this.size; i++) {
      const slot = (this.start + i) % this.capacity;
      if (this.at[slot]! < since) continue;
      latencies.push(this.ms[slot]!);
      failed += this.failed[slot]!;
    }
    return { requests: latencies.length, failed, latencies };
  }

  private dropOldest(): void {
    this.failures -= this.failed[this.start]!;
    this.start = (this.start + 1) % this.capacity;
    this.size -= 1;
  }
}
