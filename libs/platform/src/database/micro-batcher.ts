/**
 * Gathers calls made in the same turn of the event loop and runs them as one batch (one SQL
 * statement instead of many round trips). Each caller gets its own item's result (the batch
 * function answers in the order it was given) and the failure of the batch that carried it.
 */
export class MicroBatcher<T, R = void> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[] | void>,
    private readonly maxBatch = 200,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.run(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, i) => entry.resolve((results ?? [])[i] as R)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
