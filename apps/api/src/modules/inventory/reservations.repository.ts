import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import type { MovementKind, ReservationStatus, ReserveLine } from '#contracts';
import { EventPublisher, isUniqueViolation, outboxInsertOf, RELAX_COMMIT } from '#platform';
import { Reservation, ReservationLine } from './reservation.entity.js';
import { availableBySku } from './stock.repository.js';

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

/** What reserve and settle tell the relay they wrote (no subscriber reads its fields). */
const STOCK_CHANGED = { name: 'inventory.stock-changed' };

/** `inventory.stock-changed` per SKU of `changed` (sku, quantity) with what `locked` (every location of it, after the wait) held, `delta` per unit applied. */
const stockChanged = (changed: string, delta: string) =>
  outboxInsertOf(`
    SELECT 'inventory.stock-changed', 1, jsonb_build_object('sku', c.sku, 'available', (SELECT sum(k.available) FROM locked k WHERE k.sku = c.sku) + c.units * (${delta}))
    FROM (SELECT sku, sum(quantity)::int AS units FROM ${changed} GROUP BY sku) c ORDER BY c.sku`);

/**
 * A whole reservation in one statement: the reservation row first (a concurrent reserve for the
 * same reference waits on it and then fails on the unique reference, as before), then every
 * location of the requested SKUs locked in (sku, location) order, the order settle() locks in too,
 * so no two reservations wait on each other in a cycle. With the rows locked their counts are
 * current: each line takes its units from the location with the most available, and only when
 * every line can (`complete`) are the units reserved, the lines, movements and events written.
 * Otherwise the statement fails in its last step (inventory.raise_shortfall, the first short SKU
 * in the error's detail) and PostgreSQL rolls back its reservation row: one statement, no
 * transaction around it. It commits without waiting for its WAL flush (RELAX_COMMIT): the order
 * that holds it is saved next, and the checkout's first commit that waits for its flush makes both
 * durable. A reservation lost with a crash before that is one no order holds: its stock comes
 * back, and the checkout's retry reserves again.
 */
const RESERVE = `
  WITH reservation AS (
    INSERT INTO inventory.reservations (id, reference, status, expires_at) VALUES ($1, $2, 'active', now() + $3 * interval '1 millisecond')
    RETURNING id, reference, status, expires_at, release_reason, created_at, settled_at
  ), wanted AS MATERIALIZED (
    SELECT w.sku, w.quantity FROM jsonb_to_recordset($4::jsonb) AS w(sku varchar, quantity int)
  ), locked AS MATERIALIZED (
    SELECT s.sku, s.location, s.on_hand - s.reserved AS available FROM inventory.stock_levels s
    WHERE EXISTS (SELECT 1 FROM reservation) AND s.sku IN (SELECT sku FROM wanted)
    ORDER BY s.sku, s.location FOR UPDATE
  ), pick AS MATERIALIZED (
    SELECT DISTINCT ON (w.sku) w.sku, k.location, w.quantity FROM wanted w JOIN locked k ON k.sku = w.sku AND k.available >= w.quantity
    ORDER BY w.sku, k.available DESC, k.location
  ), complete AS MATERIALIZED (
    SELECT (SELECT count(*) FROM pick) = (SELECT count(*) FROM wanted) AS ok
  ), taken AS (
    UPDATE inventory.stock_levels s SET reserved = s.reserved + p.quantity, updated_at = now()
    FROM pick p WHERE (SELECT ok FROM complete) AND s.sku = p.sku AND s.location = p.location AND s.on_hand - s.reserved >= p.quantity
    RETURNING s.sku, s.location, p.quantity
  ), held AS (
    INSERT INTO inventory.reservation_lines (reservation_id, sku, location, quantity) SELECT $1, sku, location, quantity FROM taken
  ), moved AS (
    INSERT INTO inventory.movements (id, sku, location, kind, on_hand_delta, reserved_delta, reason, reference, actor)
    SELECT gen_random_uuid(), sku, location, 'reserved', 0, quantity, NULL, $2, $5 FROM taken
  ), events AS (${stockChanged('taken', '-1')}
  ), short AS MATERIALIZED (
    SELECT min(w.sku) AS sku FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM pick p WHERE p.sku = w.sku)
  )
  SELECT (SELECT row_to_json(r) FROM reservation r) AS reservation,
         (SELECT json_agg(json_build_object('sku', sku, 'location', location, 'quantity', quantity) ORDER BY sku) FROM taken) AS lines,
         (SELECT inventory.raise_shortfall(sku) FROM short WHERE sku IS NOT NULL) AS failed,
         ${RELAX_COMMIT} AS relaxed_commit`;

/**
 * A settlement in one statement. The status flip is the guard: of a commit, a release and an expiry
 * racing (or two restocks), exactly one flips it and changes stock. Then, as in RESERVE, every
 * location of its SKUs locked in (sku, location) order, the lines' units moved, movements and events
 * written. $5 and $6 are the signs of each line's change to on hand and reserved; when they are
 * equal (a commit: sold units leave on hand and reserved alike) what is available does not change,
 * and no inventory.stock-changed is published.
 */
const settleSql = (expiryOnly: boolean) => `
  WITH flipped AS (
    UPDATE inventory.reservations SET status = $2, release_reason = $3, settled_at = now()
    WHERE id = $1 AND status = $4 ${expiryOnly ? 'AND expires_at <= now()' : ''}
    RETURNING id, reference, status, expires_at, release_reason, created_at, settled_at
  ), lines AS MATERIALIZED (
    SELECT sku, location, quantity FROM inventory.reservation_lines WHERE reservation_id = $1
  ), locked AS MATERIALIZED (
    SELECT s.sku, s.location, s.on_hand - s.reserved AS available FROM inventory.stock_levels s
    WHERE EXISTS (SELECT 1 FROM flipped) AND s.sku IN (SELECT sku FROM lines)
    ORDER BY s.sku, s.location FOR UPDATE
  ), moved_stock AS (
    UPDATE inventory.stock_levels s SET on_hand = s.on_hand + l.quantity * $5, reserved = s.reserved + l.quantity * $6, updated_at = now()
    FROM lines l JOIN locked k ON k.sku = l.sku AND k.location = l.location
    WHERE s.sku = l.sku AND s.location = l.location
  ), moved AS (
    INSERT INTO inventory.movements (id, sku, location, kind, on_hand_delta, reserved_delta, reason, reference, actor)
    SELECT gen_random_uuid(), l.sku, l.location, $7, l.quantity * $5, l.quantity * $6, $3, f.reference, $8 FROM flipped f, lines l
  ), events AS (${stockChanged('lines WHERE EXISTS (SELECT 1 FROM flipped) AND $5 <> $6', '($5 - $6)')})
  SELECT (SELECT row_to_json(f) FROM flipped f) AS flipped,
         (SELECT json_agg(json_build_object('sku', sku, 'location', location, 'quantity', quantity) ORDER BY sku, location) FROM lines) AS lines`;

type SettledStatus = Exclude<ReservationStatus, 'active'>;

/** Each settled status: the status it leaves, its movement, and the sign of each line's change to on hand and reserved. */
const SETTLEMENTS: Record<SettledStatus, { from: ReservationStatus; kind: MovementKind; onHand: -1 | 0 | 1; reserved: -1 | 0 }> = {
  committed: { from: 'active', kind: 'sold', onHand: -1, reserved: -1 },
  released: { from: 'active', kind: 'released', onHand: 0, reserved: -1 },
  expired: { from: 'active', kind: 'released', onHand: 0, reserved: -1 },
  returned: { from: 'committed', kind: 'returned', onHand: 1, reserved: 0 },
};

/** The SKU that RESERVE found short, from the error inventory.raise_shortfall failed it with; null for any other error. */
function shortSkuOf(error: unknown): string | null {
  const pgError = (error as { driverError?: { code?: string; message?: string; detail?: string } }).driverError;
  return pgError?.code === 'P0001' && pgError.message === 'inventory_shortfall' ? (pgError.detail ?? null) : null;
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
      const [row] = (await this.dataSource.query(RESERVE, [input.id, input.reference, input.ttlMs, JSON.stringify(input.lines), input.actor])) as {
        reservation: ReservationRow;
        lines: LineRow[] | null;
      }[];
      this.events.written(STOCK_CHANGED);
      const lines = row!.lines ?? [];
      if (lines.length !== input.lines.length) throw new Error(`reservation ${input.id}: ${lines.length} of ${input.lines.length} lines taken under lock`);
      return { outcome: 'reserved', reservation: reservationOf(row!.reservation), lines: lines.map((l) => ({ reservationId: input.id, ...l })) };
    } catch (error) {
      const short = shortSkuOf(error);
      if (short !== null) return { outcome: 'short', shortages: await this.shortages(input.lines, short) };
      if (isUniqueViolation(error)) {
        const held = await this.dataSource.manager.findOneBy(Reservation, { reference: input.reference, status: 'active' })
          ?? await this.dataSource.manager.findOneBy(Reservation, { reference: input.reference, status: 'committed' });
        if (held) return { outcome: 'already-held', reservationId: held.id };
      }
      throw error;
    }
  }

  async find(id: string): Promise<HeldReservation | null> {
    if (!isUUID(id)) return null;
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
    // Ids are UUIDs: anything else names no reservation (PostgreSQL would refuse it as a uuid).
    if (!isUUID(id)) return null;
    const { from, kind, onHand, reserved } = SETTLEMENTS[to];
    const [row] = (await this.dataSource.query(settleSql(to === 'expired'), [id, to, reason, from, onHand, reserved, kind, actor])) as {
      flipped: ReservationRow | null;
      lines: LineRow[] | null;
    }[];
    if (!row!.flipped) {
      // Not flipped: read it as it is now (the statement saw it as it was before a racing settlement).
      const held = await this.find(id);
      return held && { ...held, changed: false };
    }
    this.events.written(STOCK_CHANGED);
    return { reservation: reservationOf(row!.flipped), lines: (row!.lines ?? []).map((l) => ({ reservationId: id, ...l })), changed: true };
  }

  /** Read after the rollback; the SKU that failed is listed even if units came back since. */
  private async shortages(lines: ReserveLine[], failedSku: string) {
    const available = await availableBySku(this.dataSource.manager, lines.map((l) => l.sku));
    return lines
      .map((l) => ({ sku: l.sku, requested: l.quantity, available: Math.max(0, available.get(l.sku) ?? 0) }))
      .filter((s) => s.available < s.requested || s.sku === failedSku);
  }
}

interface LineRow {
  sku: string;
  location: string;
  quantity: number;
}

/** A reservation as row_to_json gives it (timestamps as strings). */
interface ReservationRow {
  id: string;
  reference: string;
  status: ReservationStatus;
  expires_at: string;
  release_reason: string | null;
  created_at: string;
  settled_at: string | null;
}

function reservationOf(row: ReservationRow): Reservation {
  return Object.assign(new Reservation(), {
    id: row.id, reference: row.reference, status: row.status, expiresAt: new Date(row.expires_at), releaseReason: row.release_reason,
    createdAt: new Date(row.created_at), settledAt: row.settled_at ? new Date(row.settled_at) : null,
  } satisfies Reservation);
}
