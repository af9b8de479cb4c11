import { OncePerWindow } from './once-per-window.js';

describe('OncePerWindow', () => {
  it('finds the window that holds an instant, millisecond edges included', () => {
    expect(OncePerWindow.of(new Date(5_000), 1000)).toEqual({ start: 5_000, end: 6_000 });
    expect(OncePerWindow.of(new Date(5_999), 1000)).toEqual({ start: 5_000, end: 6_000 });
    expect(OncePerWindow.of(new Date(6_000), 1000)).toEqual({ start: 6_000, end: 7_000 });
  });

  it('enqueues once per window, and every caller waits for that one enqueue', async () => {
    const windows = new OncePerWindow();
    const end = Date.now() + 60_000;
    let calls = 0;
    const enqueue = () => new Promise((resolve) => setTimeout(() => resolve(++calls), 10));
    const answers = await Promise.all([windows.run(end, enqueue), windows.run(end, enqueue), windows.run(end, enqueue)]);
    expect(answers).toEqual([1, 1, 1]);
    await windows.run(end + 1000, enqueue);
    expect(calls).toBe(2);
  });

  it('tries again after a failed enqueue', async () => {
    const windows = new OncePerWindow();
    const end = Date.now() + 60_000;
    await expect(windows.run(end, () => Promise.reject(new Error('redis down')))).rejects.toThrow('redis down');
    await expect(windows.run(end, () => Promise.resolve('added'))).resolves.toBe('added');
    await expect(windows.run(end, () => Promise.resolve('again'))).resolves.toBe('added');
  });

  it('forgets windows that have ended, so an id that comes round again is enqueued again', async () => {
    const windows = new OncePerWindow();
    const past = Date.now() - 1;
    await windows.run(past, () => Promise.resolve('first'));
    await windows.run(Date.now() + 60_000, () => Promise.resolve('other'));
    await expect(windows.run(past, () => Promise.resolve('second'))).resolves.toBe('second');
  });
});
