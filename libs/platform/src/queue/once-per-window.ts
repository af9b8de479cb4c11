/**
 * Delayed jobs shared by a window of time: the events that fall in one window (a second of
 * reservation expiries, a second of placed orders) get one job, enqueued once per process. The
 * job id names the window, so other processes adding it too leave BullMQ with one job.
 */
export class OncePerWindow {
  /** Enqueues (or enqueuing) by window end, epoch ms. */
  private readonly windows = new Map<number, Promise<unknown>>();

  /** The window of `at`: it starts at a multiple of `sizeMs` and holds `at`. */
  static of(at: Date, sizeMs: number): { start: number; end: number } {
    const start = Math.floor(at.getTime() / sizeMs) * sizeMs;
    return { start, end: start + sizeMs };
  }

  /**
   * `enqueue` once for the window ending at `windowEnd`; later calls share its promise. One that
   * failed is forgotten, so the next event of that window tries again.
   */
  run(windowEnd: number, enqueue: () => Promise<unknown>): Promise<unknown> {
    let enqueued = this.windows.get(windowEnd);
    if (!enqueued) {
      const now = Date.now();
      for (const end of this.windows.keys()) if (end < now) this.windows.delete(end);
      enqueued = enqueue();
      this.windows.set(windowEnd, enqueued);
      enqueued.catch(() => this.windows.delete(windowEnd));
    }
    return enqueued;
  }
}
