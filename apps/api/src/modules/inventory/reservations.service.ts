import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext, ReservationView, ReserveInput, ReserveLine } from '#contracts';
import { AppConfig } from '#platform';
import { InvalidReservationError, OutOfStockError, ReservationNotFoundError, ReservationNotSoldError, ReservationSettledError } from './inventory.errors.js';
import { ReservationExpiryScheduler } from './jobs/reservation-expiry.scheduler.js';
import { type HeldReservation, ReservationsRepository } from './reservations.repository.js';
import { SKU_PATTERN } from './sku.js';

const MAX_LINES = 100;
const MAX_QUANTITY = 100_000;
const SWEEP_BATCH = 100;

export const actorOf = (ctx: CallContext) => ctx.userId ?? 'system';

export function reservationView({ reservation, lines }: HeldReservation): ReservationView {
  return {
    id: reservation.id,
    reference: reservation.reference,
    status: reservation.status,
    expiresAt: reservation.expiresAt.toISOString(),
    createdAt: reservation.createdAt.toISOString(),
    lines: lines.map(({ sku, location, quantity }) => ({ sku, location, quantity })),
  };
}

/** A reason as it arrives over the contract: trimmed to the column's 200 characters, `fallback` when empty. */
const reasonOr = (reason: unknown, fallback: string) => (typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, 200) : fallback);

/** Reserve, commit, release, expire and restock: the stock holds checkout and payments drive. */
@Injectable()
export class ReservationsService {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly expiry: ReservationExpiryScheduler,
    private readonly config: AppConfig,
  ) {}

  async reserve(ctx: CallContext, input: ReserveInput): Promise<ReservationView> {
    const lines = checkedLines(input);
    const ttlMs = input.ttlMs ?? this.config.get('INVENTORY_RESERVATION_TTL_MS');
    if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > 86_400_000) throw new InvalidReservationError('ttlMs must be an integer from 1 to 86400000');
    const result = await this.reservations.reserve({ id: randomUUID(), reference: input.reference, ttlMs, lines, actor: actorOf(ctx) });
    if (result.outcome === 'short') throw new OutOfStockError(result.shortages);
    if (result.outcome === 'already-held') return reservationView(await this.held(result.reservationId));
    await this.expiry.expireAt(result.reservation.id, result.reservation.expiresAt);
    return reservationView(result);
  }

  async commit(ctx: CallContext, reservationId: string): Promise<ReservationView> {
    const settled = await this.reservations.commit(reservationId, actorOf(ctx));
    if (!settled) throw new ReservationNotFoundError(reservationId);
    if (settled.reservation.status !== 'committed') throw new ReservationSettledError(reservationId, settled.reservation.status);
    return reservationView(settled);
  }

  async release(ctx: CallContext, reservationId: string, reason: string): Promise<ReservationView> {
    const settled = await this.reservations.release(reservationId, 'released', reasonOr(reason, 'released'), actorOf(ctx));
    if (!settled) throw new ReservationNotFoundError(reservationId);
    const { status } = settled.reservation;
    if (status === 'committed' || status === 'returned') throw new ReservationSettledError(reservationId, status);
    return reservationView(settled);
  }

  async restock(ctx: CallContext, reservationId: string, reason: string): Promise<ReservationView> {
    const settled = await this.reservations.restock(reservationId, reasonOr(reason, 'returned'), actorOf(ctx));
    if (!settled) throw new ReservationNotFoundError(reservationId);
    if (settled.reservation.status !== 'returned') throw new ReservationNotSoldError(reservationId, settled.reservation.status);
    return reservationView(settled);
  }

  /** The delayed job's work: releases the reservation if it is still active and due; otherwise nothing. */
  async expire(ctx: CallContext, reservationId: string): Promise<boolean> {
    return (await this.reservations.release(reservationId, 'expired', 'expired', actorOf(ctx)))?.changed ?? false;
  }

  /** Releases every active reservation past its expiry that its delayed job missed; returns how many. */
  async sweep(ctx: CallContext): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.reservations.dueIds(SWEEP_BATCH);
      for (const id of due) if (await this.expire(ctx, id)) expired += 1;
      if (due.length < SWEEP_BATCH) return expired;
    }
  }

  private async held(id: string): Promise<HeldReservation> {
    const held = await this.reservations.find(id);
    if (!held) throw new ReservationNotFoundError(id);
    return held;
  }
}

/** Contract input arrives as plain JSON (maybe over a transport): checked here, duplicates merged. */
function checkedLines(input: ReserveInput): ReserveLine[] {
  if (typeof input.reference !== 'string' || input.reference.length < 1 || input.reference.length > 120) {
    throw new InvalidReservationError('reference must be 1 to 120 characters');
  }
  if (!Array.isArray(input.lines) || input.lines.length < 1 || input.lines.length > MAX_LINES) {
    throw new InvalidReservationError(`lines must hold 1 to ${MAX_LINES} lines`);
  }
  const merged = new Map<string, number>();
  for (const { sku, quantity } of input.lines) {
    if (typeof sku !== 'string' || !SKU_PATTERN.test(sku)) throw new InvalidReservationError(`"${String(sku)}" is not a SKU`);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new InvalidReservationError(`quantity of ${sku} must be an integer from 1 to ${MAX_QUANTITY}`);
    merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  }
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}
