import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { INVENTORY_API, type InventoryApi, systemContext } from '#contracts';
import { createTestDatabase, eventually, startBackendContext, type TestDatabase } from '#testing';
import { InvalidReservationError, OutOfStockError, ReservationNotSoldError, ReservationSettledError } from './inventory.errors.js';
import { InventoryModule } from './inventory.module.js';
import { expiryJobId, expiryWindowOf, RESERVATION_EXPIRY_QUEUE, SWEEP_SCHEDULER_ID } from './jobs/reservation-expiry.queue.js';
import { ReservationsService } from './reservations.service.js';
import { StockService } from './stock.service.js';

const ctx = systemContext('inventory-int-spec');

describe('inventory reservations (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let inventory: InventoryApi;
  let stock: StockService;
  let queue: Queue;
  let sweepEvery: number | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackendContext(db, { imports: [InventoryModule] });
    inventory = app.get<InventoryApi>(INVENTORY_API);
    stock = app.get(StockService);
    queue = app.get<Queue>(getQueueToken(RESERVATION_EXPIRY_QUEUE));
    await eventually(async () => (await queue.getJobSchedulers()).some((s) => s.key === SWEEP_SCHEDULER_ID));
    sweepEvery = (await queue.getJobSchedulers()).find((s) => s.key === SWEEP_SCHEDULER_ID)?.every ?? undefined;
    // From here on only the tests sweep, so a scheduled sweep cannot take an expiry from under them.
    await queue.removeJobScheduler(SWEEP_SCHEDULER_ID);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const receive = (sku: string, delta: number, location?: string) => stock.adjust(ctx, sku, { sku, delta, reason: 'delivery', kind: 'received', location } as never);
  const level = async (sku: string) =>
    (await db.query(`SELECT coalesce(sum(on_hand), 0)::int AS "onHand", coalesce(sum(reserved), 0)::int AS reserved FROM inventory.stock_levels WHERE sku = $1`, [sku])).rows[0];
  const ledger = async (sku: string) =>
    (await db.query(`SELECT coalesce(sum(on_hand_delta), 0)::int AS "onHand", coalesce(sum(reserved_delta), 0)::int AS reserved FROM inventory.movements WHERE sku = $1`, [sku])).rows[0];
  const movements = async (sku: string) =>
    Object.fromEntries((await db.query(`SELECT kind, count(*)::int AS n FROM inventory.movements WHERE sku = $1 GROUP BY kind`, [sku])).rows.map((r) => [r.kind, r.n]));
  const statusOf = async (id: string) => (await db.query(`SELECT status FROM inventory.reservations WHERE id = $1`, [id])).rows[0]?.status;

  it('never oversells: 200 concurrent reservations of 1 unit against 50 on hand -> exactly 50 succeed', async () => {
    await receive('RACE-1', 50);
    const attempts = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => inventory.reserve(ctx, { reference: `race-${i}`, lines: [{ sku: 'RACE-1', quantity: 1 }] })),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(50);
    expect(lost).toHaveLength(150);
    for (const { reason } of lost) {
      expect(reason).toBeInstanceOf(OutOfStockError);
      expect(reason).toMatchObject({ code: 'INVENTORY.OUT_OF_STOCK', extensions: { skus: ['RACE-1'] } });
    }
    expect(await level('RACE-1')).toEqual({ onHand: 50, reserved: 50 });
    expect(await ledger('RACE-1')).toEqual({ onHand: 50, reserved: 50 });
    expect(await movements('RACE-1')).toEqual({ received: 1, reserved: 50 });
    expect(await inventory.availability(ctx, ['RACE-1'])).toEqual([{ sku: 'RACE-1', available: 0 }]);

    // 20 paid, 10 abandoned: on hand, reserved and sold still add up.
    const ids = won.map((w) => (w as PromiseFulfilledResult<{ id: string }>).value.id);
    await Promise.all(ids.slice(0, 20).map((id) => inventory.commit(ctx, id)));
    await Promise.all(ids.slice(20, 30).map((id) => inventory.release(ctx, id, 'payment failed')));
    expect(await level('RACE-1')).toEqual({ onHand: 30, reserved: 20 });
    expect(await ledger('RACE-1')).toEqual({ onHand: 30, reserved: 20 });
    expect(await movements('RACE-1')).toEqual({ received: 1, reserved: 50, sold: 20, released: 10 });
    expect(await inventory.availability(ctx, ['RACE-1', 'NEVER-STOCKED'])).toEqual([
      { sku: 'RACE-1', available: 10 },
      { sku: 'NEVER-STOCKED', available: 0 },
    ]);
  });

  it('multi-line reservations racing over the same SKUs from both ends, with commits and releases: no deadlock, no oversell, the books add up', async () => {
    await receive('CROSS-A', 30);
    await receive('CROSS-B', 20);
    await receive('CROSS-B', 10, 'warehouse-2');
    const attempts = await Promise.allSettled(
      Array.from({ length: 80 }, (_, i) =>
        inventory.reserve(ctx, { reference: `cross-${i}`, lines: i % 2 ? [{ sku: 'CROSS-A', quantity: 1 }, { sku: 'CROSS-B', quantity: 1 }] : [{ sku: 'CROSS-B', quantity: 1 }, { sku: 'CROSS-A', quantity: 1 }] }),
      ),
    );
    const won = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value.id] : []));
    const lost = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
    expect(won).toHaveLength(30);
    for (const reason of lost) expect(reason).toMatchObject({ code: 'INVENTORY.OUT_OF_STOCK' });
    // Settlements racing new reservations of the units they give back.
    const more = Array.from({ length: 20 }, (_, i) => inventory.reserve(ctx, { reference: `cross-more-${i}`, lines: [{ sku: 'CROSS-B', quantity: 1 }, { sku: 'CROSS-A', quantity: 1 }] }));
    const settled = await Promise.allSettled([
      ...won.slice(0, 15).map((id) => inventory.commit(ctx, id)),
      ...won.slice(15).map((id) => inventory.release(ctx, id, 'payment failed')),
      ...more,
    ]);
    expect(settled.slice(0, 30).every((s) => s.status === 'fulfilled')).toBe(true);
    const reservedAgain = settled.slice(30).filter((s) => s.status === 'fulfilled').length;
    for (const sku of ['CROSS-A', 'CROSS-B']) {
      expect(await level(sku)).toEqual({ onHand: 15, reserved: reservedAgain });
      expect(await ledger(sku)).toEqual({ onHand: 15, reserved: reservedAgain });
    }
  });

  it('reserves every line or none, and names the SKUs that are short', async () => {
    await receive('PAIR-A', 5);
    await receive('PAIR-B', 1);
    const attempt = inventory.reserve(ctx, { reference: 'pair', lines: [{ sku: 'PAIR-A', quantity: 2 }, { sku: 'PAIR-B', quantity: 2 }, { sku: 'PAIR-NONE', quantity: 1 }] });
    await expect(attempt).rejects.toMatchObject({
      code: 'INVENTORY.OUT_OF_STOCK',
      extensions: { skus: ['PAIR-B', 'PAIR-NONE'], shortages: [{ sku: 'PAIR-B', requested: 2, available: 1 }, { sku: 'PAIR-NONE', requested: 1, available: 0 }] },
    });
    expect(await level('PAIR-A')).toEqual({ onHand: 5, reserved: 0 });
    expect(await movements('PAIR-A')).toEqual({ received: 1 });
    expect((await db.query(`SELECT count(*)::int AS n FROM inventory.reservations WHERE reference = 'pair'`)).rows[0].n).toBe(0);

    const held = await inventory.reserve(ctx, { reference: 'pair', lines: [{ sku: 'PAIR-A', quantity: 2 }, { sku: 'PAIR-B', quantity: 1 }, { sku: 'PAIR-A', quantity: 1 }] });
    expect(held.lines).toEqual([{ sku: 'PAIR-A', location: 'main', quantity: 3 }, { sku: 'PAIR-B', location: 'main', quantity: 1 }]);
    expect(await level('PAIR-A')).toEqual({ onHand: 5, reserved: 3 });
  });

  it('takes a line from a location that has enough, and reserves once per held reference', async () => {
    await receive('SPLIT-1', 1);
    await receive('SPLIT-1', 4, 'warehouse-2');
    const first = await inventory.reserve(ctx, { reference: 'order-split', lines: [{ sku: 'SPLIT-1', quantity: 3 }] });
    expect(first.lines).toEqual([{ sku: 'SPLIT-1', location: 'warehouse-2', quantity: 3 }]);
    const again = await inventory.reserve(ctx, { reference: 'order-split', lines: [{ sku: 'SPLIT-1', quantity: 3 }] });
    expect(again.id).toBe(first.id);
    expect(await level('SPLIT-1')).toEqual({ onHand: 5, reserved: 3 });
  });

  it('commits once: a repeated commit is a no-op with the same result, a release after it is refused', async () => {
    await receive('PAID-1', 3);
    const { id } = await inventory.reserve(ctx, { reference: 'paid-1', lines: [{ sku: 'PAID-1', quantity: 2 }] });
    const first = await inventory.commit(ctx, id);
    const second = await inventory.commit(ctx, id);
    expect(first).toMatchObject({ id, status: 'committed' });
    expect(second).toEqual(first);
    expect(await level('PAID-1')).toEqual({ onHand: 1, reserved: 0 });
    expect(await movements('PAID-1')).toEqual({ received: 1, reserved: 1, sold: 1 });
    await expect(inventory.release(ctx, id, 'cancelled')).rejects.toBeInstanceOf(ReservationSettledError);
  });

  it('releases once: a repeated release is a no-op, a commit after it is refused', async () => {
    await receive('GONE-1', 3);
    const { id } = await inventory.reserve(ctx, { reference: 'gone-1', lines: [{ sku: 'GONE-1', quantity: 2 }] });
    const [first, second] = await Promise.all([inventory.release(ctx, id, 'payment declined'), inventory.release(ctx, id, 'payment declined')]);
    expect(first).toMatchObject({ status: 'released' });
    expect(second).toEqual(first);
    expect(await level('GONE-1')).toEqual({ onHand: 3, reserved: 0 });
    expect(await movements('GONE-1')).toEqual({ received: 1, reserved: 1, released: 1 });
    await expect(inventory.commit(ctx, id)).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_SETTLED' });
    await expect(inventory.commit(ctx, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_NOT_FOUND' });
    // An id that is no UUID names no reservation: not found, never a database error.
    for (const settle of [() => inventory.commit(ctx, 'not-a-uuid'), () => inventory.release(ctx, 'not-a-uuid', 'x'), () => inventory.restock(ctx, "1'; --", 'x')]) {
      await expect(settle()).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_NOT_FOUND' });
    }
  });

  it('restocks a sold reservation once: its units back on hand, reserved untouched, one returned movement; an unsold one is refused', async () => {
    await receive('BACK-1', 5);
    const { id } = await inventory.reserve(ctx, { reference: 'back-1', lines: [{ sku: 'BACK-1', quantity: 2 }] });
    await inventory.commit(ctx, id);
    const held = await inventory.reserve(ctx, { reference: 'back-1-held', lines: [{ sku: 'BACK-1', quantity: 1 }] });
    expect(await level('BACK-1')).toEqual({ onHand: 3, reserved: 1 });

    const [first, second] = await Promise.all([inventory.restock(ctx, id, 'order cancelled'), inventory.restock(ctx, id, 'order cancelled')]);
    expect(first).toMatchObject({ id, status: 'returned', lines: [{ sku: 'BACK-1', location: 'main', quantity: 2 }] });
    expect(second).toEqual(first);
    expect(await inventory.restock(ctx, id, 'again')).toEqual(first);
    expect(await level('BACK-1')).toEqual({ onHand: 5, reserved: 1 });
    expect(await ledger('BACK-1')).toEqual({ onHand: 5, reserved: 1 });
    expect(await movements('BACK-1')).toEqual({ received: 1, reserved: 2, sold: 1, returned: 1 });
    const { rows: returned } = await db.query(
      `SELECT on_hand_delta AS "onHand", reserved_delta AS reserved, reason, reference FROM inventory.movements WHERE sku = 'BACK-1' AND kind = 'returned'`,
    );
    expect(returned).toEqual([{ onHand: 2, reserved: 0, reason: 'order cancelled', reference: 'back-1' }]);
    const { rows: [event] } = await db.query(`SELECT payload FROM platform.outbox_events WHERE payload->>'sku' = 'BACK-1' ORDER BY occurred_at DESC LIMIT 1`);
    expect(event.payload).toEqual({ sku: 'BACK-1', available: 4 });

    // Returned is final: neither released nor sold again, and its reference is free for a new hold.
    await expect(inventory.release(ctx, id, 'cancelled')).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_SETTLED', extensions: { status: 'returned' } });
    await expect(inventory.commit(ctx, id)).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_SETTLED' });
    expect((await inventory.reserve(ctx, { reference: 'back-1', lines: [{ sku: 'BACK-1', quantity: 1 }] })).id).not.toBe(id);

    await expect(inventory.restock(ctx, held.id, 'cancelled')).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_NOT_SOLD', kind: 'conflict', extensions: { status: 'active' } });
    await inventory.release(ctx, held.id, 'payment declined');
    await expect(inventory.restock(ctx, held.id, 'cancelled')).rejects.toBeInstanceOf(ReservationNotSoldError);
    await expect(inventory.restock(ctx, '00000000-0000-4000-8000-000000000000', 'cancelled')).rejects.toMatchObject({ code: 'INVENTORY.RESERVATION_NOT_FOUND' });
    expect(await level('BACK-1')).toEqual({ onHand: 5, reserved: 1 });
    expect(await ledger('BACK-1')).toEqual({ onHand: 5, reserved: 1 });
  });

  it('expires a reservation at its TTL through the delayed job of its expiry window', async () => {
    await receive('TTL-1', 2);
    const { id, expiresAt } = await inventory.reserve(ctx, { reference: 'ttl-1', lines: [{ sku: 'TTL-1', quantity: 2 }], ttlMs: 300 });
    expect(await level('TTL-1')).toEqual({ onHand: 2, reserved: 2 });
    await eventually(async () => (await queue.getJob(expiryJobId(expiryWindowOf(new Date(expiresAt)))))?.returnvalue?.expired >= 1, 10_000, 50);
    expect(await statusOf(id)).toBe('expired');
    expect(await level('TTL-1')).toEqual({ onHand: 2, reserved: 0 });
    // Releasing an expired reservation is a no-op that answers as it is.
    expect(await inventory.release(ctx, id, 'cancelled')).toMatchObject({ id, status: 'expired' });
    expect(await movements('TTL-1')).toEqual({ received: 1, reserved: 1, released: 1 });
  });

  it('gives reservations that expire in the same window one job, not one each', async () => {
    await receive('TTL-2', 10);
    const held = await Promise.all([1, 2, 3, 4, 5].map((n) => inventory.reserve(ctx, { reference: `ttl-2-${n}`, lines: [{ sku: 'TTL-2', quantity: 1 }], ttlMs: 1500 })));
    const windows = new Set(held.map((r) => expiryWindowOf(new Date(r.expiresAt))));
    expect(windows.size).toBeLessThanOrEqual(2); // five reservations made within a few ms: one window, two if they straddle its end
    const jobs = await queue.getJobs(['delayed', 'wait', 'active', 'completed']);
    expect(jobs.filter((job) => held.some((r) => job.id === `expire-${r.id}`))).toEqual([]);
    expect(jobs.filter((job) => [...windows].some((w) => job.id === expiryJobId(w))).map((job) => job.name)).toEqual([...windows].map(() => 'expire-due'));
    await eventually(async () => (await Promise.all(held.map((r) => statusOf(r.id)))).every((status) => status === 'expired'), 10_000, 100);
    expect(await level('TTL-2')).toEqual({ onHand: 10, reserved: 0 });
  });

  it('schedules the sweeper at boot, every INVENTORY_SWEEP_EVERY_MS (default one minute)', () => {
    expect(Number(sweepEvery)).toBe(60_000);
  });

  it('the sweeper releases expired reservations a delayed job missed, and only those', async () => {
    await receive('SWEEP-1', 4);
    const missed = await inventory.reserve(ctx, { reference: 'sweep-missed', lines: [{ sku: 'SWEEP-1', quantity: 1 }] });
    const current = await inventory.reserve(ctx, { reference: 'sweep-current', lines: [{ sku: 'SWEEP-1', quantity: 1 }] });
    await db.query(`UPDATE inventory.reservations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [missed.id]);
    const sweeper = app.get(ReservationsService);
    expect(await sweeper.sweep(ctx)).toBe(1);
    expect(await sweeper.sweep(ctx)).toBe(0);
    expect(await statusOf(missed.id)).toBe('expired');
    expect(await statusOf(current.id)).toBe('active');
    expect(await level('SWEEP-1')).toEqual({ onHand: 4, reserved: 1 });
  });

  it('publishes inventory.stock-changed with the SKU and what is available, through the outbox, when that changes', async () => {
    await receive('EVT-1', 7);
    const sold = await inventory.reserve(ctx, { reference: 'evt-1', lines: [{ sku: 'EVT-1', quantity: 3 }] });
    const released = await inventory.reserve(ctx, { reference: 'evt-2', lines: [{ sku: 'EVT-1', quantity: 1 }] });
    await inventory.commit(ctx, sold.id); // on hand and reserved both fall by 3: available stays 3
    await inventory.release(ctx, released.id, 'cancelled');
    const { rows } = await db.query(`SELECT name, version, payload FROM platform.outbox_events WHERE payload->>'sku' = 'EVT-1' ORDER BY occurred_at, payload->>'available' DESC`);
    expect(rows.map((r) => r.payload.available)).toEqual([7, 4, 3, 4]);
    expect(rows[0]).toEqual({ name: 'inventory.stock-changed', version: 1, payload: { sku: 'EVT-1', available: 7 } });
  });

  it('refuses malformed reservations before touching stock', async () => {
    const bad = [
      { reference: 'bad', lines: [] },
      { reference: 'bad', lines: [{ sku: 'RACE-1', quantity: 0 }] },
      { reference: 'bad', lines: [{ sku: 'RACE-1', quantity: 1.5 }] },
      { reference: '', lines: [{ sku: 'RACE-1', quantity: 1 }] },
      { reference: 'bad', lines: [{ sku: 'no spaces', quantity: 1 }] },
      { reference: 'bad', lines: [{ sku: 'RACE-1', quantity: 1 }], ttlMs: 0 },
    ];
    for (const input of bad) await expect(inventory.reserve(ctx, input)).rejects.toBeInstanceOf(InvalidReservationError);
  });
});
