import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { MovementKind, ReservationStatus, ReserveLine } from '#contracts';
import { EventPublisher, isUniqueViolation } from '#platform';
import { Reservation, ReservationLine } from './reservation.entity.js';
import { availableBySku, type NewMovement, recordStockChange, records } from './stock.repository.js';

export interface HeldReservation {
  reservation: Reservation;
  lines: ReservationLine[];
}

export type ReserveOutcome =
  | ({ outcome: 'reserved' } & HeldReservation)
  | { outcome: 'short'; shortages: { sku: string; requested: number; available: number }[] }
  | { outcome: 'already-held'; reservationId: string };

/** A settle that found the reservation already settled (or absent) changes nothing. */
export type SettleOutcome = (HeldReservation & { changed: boolean }) | null;

/**
 * Takes one line's units from the location with the most available, in one conditional UPDATE: the
 * row lock and the re-checked WHERE make concurrent reservations queue up, so none can oversell.
 * `picked` without `location` means another transaction took the units first: try again.
 */
const RESERVE_LINE = `
  WITH pick AS (
    SELECT location FROM inventory.stock_levels WHERE sku = $1 AND on_hand - reserved >= $2
    ORDER BY on_hand - reserved DESC, location LIMIT 1
  ), taken AS (
    UPDATE inventory.stock_levels s SET reserved = s.reserved + $2, updated_at = now() FROM pick
    WHERE s.sku = $1 AND s.location = pick.location AND s.on_hand - s.reserved >= $2
    RETURNING s.location
  )
  SELECT (SELECT location FROM pick) AS picked, (SELECT location FROM taken) AS location`;

const MAX_PICKS = 10;

type SettledStatus = Exclude<ReservationStatus, 'active'>;

/** Each settled status: the status it leaves, its movement, and the sign of each line's change to on hand and reserved. */
const SETTLEMENTS: Record<SettledStatus, { from: ReservationStatus; kind: MovementKind; onHand: -1 | 0 | 1; reserved: -1 | 0 }> = {
  committed: { from: 'active', kind: 'sold', onHand: -1, reserved: -1 },
  released: { from: 'active', kind: 'released', onHand: 0, reserved: -1 },
  expired: { from: 'active', kind: 'released', onHand: 0, reserved: -1 },
  returned: { from: 'committed', kind: 'returned', onHand: 1, reserved: 0 },
};

class Shortfall extends Error {
  constructor(readonly sku: string) {
    super(`short of ${sku}`);
  }
}

/** Reservations and the reserved units they hold; every change is one transaction with its movements and events. */
@Injectable()
export class ReservationsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async reserve(input: { id: string; reference: string; ttlMs: number; lines: ReserveLine[]; actor: string }): Promise<ReserveOutcome> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        // First, so that a concurrent reserve for the same reference waits here and then finds this one.
        await tx.query(
          `INSERT INTO inventory.reservations (id, reference, status, expires_at) VALUES ($1, $2, 'active', now() + $3 * interval '1 millisecond')`,
          [input.id, input.reference, input.ttlMs],
        );
        const lines: ReservationLine[] = [];
        // SKU order everywhere, so two multi-line reservations never wait on each other in a cycle.
        for (const line of [...input.lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
          lines.push({ reservationId: input.id, sku: line.sku, location: await takeUnits(tx, line), quantity: line.quantity });
        }
        await tx.insert(ReservationLine, lines);
        await recordStockChange(tx, this.events, lines.map((l) => movement(l, 'reserved', input, 0, l.quantity, null)));
        const reservation = await tx.findOneByOrFail(Reservation, { id: input.id });
        return { outcome: 'reserved' as const, reservation, lines };
      });
    } catch (error) {
      if (error instanceof Shortfall) return { outcome: 'short', shortages: await this.shortages(input.lines, error.sku) };
      if (isUniqueViolation(error)) {
        const held = await this.dataSource.manager.findOneBy(Reservation, { reference: input.reference, status: 'active' })
          ?? await this.dataSource.manager.findOneBy(Reservation, { reference: input.reference, status: 'committed' });
        if (held) return { outcome: 'already-held', reservationId: held.id };
      }
      throw error;
    }
  }

  async find(id: string): Promise<HeldReservation | null> {
    const reservation = await this.dataSource.manager.findOneBy(Reservation, { id });
    if (!reservation) return null;
    return { reservation, lines: await this.dataSource.manager.find(ReservationLine, { where: { reservationId: id }, order: { sku: 'ASC' } }) };
  }

  /** active -> committed: the units leave on hand and reserved together. */
  commit(id: string, actor: string): Promise<SettleOutcome> {
    return this.settle(id, 'committed', null, actor);
  }

  /** active -> released or expired: the units are available again. Expiry must not beat the clock. */
  release(id: string, status: 'released' | 'expired', reason: string, actor: string): Promise<SettleOutcome> {
    return this.settle(id, status, reason, actor);
  }

  /** committed -> returned: the sold units are back on hand (the goods never left). */
  restock(id: string, reason: string, actor: string): Promise<SettleOutcome> {
    return this.settle(id, 'returned', reason, actor);
  }

  /** Active reservations past their expiry, oldest first. */
  async dueIds(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM inventory.reservations WHERE status = 'active' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  private async settle(id: string, to: SettledStatus, reason: string | null, actor: string): Promise<SettleOutcome> {
    const { from, kind, onHand, reserved } = SETTLEMENTS[to];
    const settled = await this.dataSource.transaction(async (tx) => {
      // The status flip is the guard: of a commit, a release and an expiry racing (or two restocks), exactly one changes stock.
      const [flipped] = await records<{ reference: string }>(
        tx,
        `UPDATE inventory.reservations SET status = $2, release_reason = $3, settled_at = now()
         WHERE id = $1 AND status = $4 ${to === 'expired' ? 'AND expires_at <= now()' : ''} RETURNING reference`,
        [id, to, reason, from],
      );
      if (!flipped) return false;
      const lines = await tx.find(ReservationLine, { where: { reservationId: id }, order: { sku: 'ASC', location: 'ASC' } });
      for (const line of lines) {
        await tx.query(
          `UPDATE inventory.stock_levels SET on_hand = on_hand + $3, reserved = reserved + $4, updated_at = now() WHERE sku = $1 AND location = $2`,
          [line.sku, line.location, line.quantity * onHand, line.quantity * reserved],
        );
      }
      const context = { reference: flipped.reference, actor };
      await recordStockChange(tx, this.events, lines.map((l) => movement(l, kind, context, l.quantity * onHand, l.quantity * reserved, reason)));
      return true;
    });
    const held = await this.find(id);
    return held && { ...held, changed: settled };
  }

  /** Read after the rollback; the SKU that failed is listed even if units came back since. */
  private async shortages(lines: ReserveLine[], failedSku: string) {
    const available = await availableBySku(this.dataSource.manager, lines.map((l) => l.sku));
    return lines
      .map((l) => ({ sku: l.sku, requested: l.quantity, available: Math.max(0, available.get(l.sku) ?? 0) }))
      .filter((s) => s.available < s.requested || s.sku === failedSku);
  }
}

async function takeUnits(tx: EntityManager, line: ReserveLine): Promise<string> {
  for (let attempt = 0; attempt < MAX_PICKS; attempt += 1) {
    const [{ picked, location }] = await records<{ picked: string | null; location: string | null }>(tx, RESERVE_LINE, [line.sku, line.quantity]);
    if (location) return location;
    if (!picked) break;
  }
  throw new Shortfall(line.sku);
}

function movement(line: ReservationLine, kind: NewMovement['kind'], by: { reference: string; actor: string }, onHandDelta: number, reservedDelta: number, reason: string | null): NewMovement {
  return { sku: line.sku, location: line.location, kind, onHandDelta, reservedDelta, reason, reference: by.reference, actor: by.actor };
}
