import { MicroBatcher } from './micro-batcher.js';

describe('MicroBatcher', () => {
  it('runs the calls of one event-loop turn as one batch, in order, and resolves each caller', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(async (items) => void batches.push(items));
    await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)]);
    await batcher.add(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it("gives each caller its own item's result", async () => {
    const batcher = new MicroBatcher<number, string>(async (items) => items.map((n) => `#${n}`));
    expect(await Promise.all([batcher.add(1), batcher.add(2)])).toEqual(['#1', '#2']);
  });

  it('splits at the maximum batch size', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(async (items) => void batches.push(items), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every caller of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number>(async () => {
      if (fail) throw new Error('database down');
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add(3)).resolves.toBeUndefined();
  });
});
