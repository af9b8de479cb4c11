import { DomainError } from '#platform';

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

export class OutOfStockError extends DomainError {
  constructor(readonly shortages: Shortage[]) {
    const detail = shortages.map((s) => `SKU ${s.sku} has ${s.available} available, ${s.requested} requested`).join('; ');
    super('INVENTORY.OUT_OF_STOCK', 'conflict', detail, { skus: shortages.map((s) => s.sku), shortages });
  }
}

export class ReservationNotFoundError extends DomainError {
  constructor(id: string) {
    super('INVENTORY.RESERVATION_NOT_FOUND', 'not_found', `No reservation ${id}`);
  }
}

/** Commit after release, or release after commit (or return): the reservation already went the other way. */
export class ReservationSettledError extends DomainError {
  constructor(id: string, status: string) {
    super('INVENTORY.RESERVATION_SETTLED', 'conflict', `Reservation ${id} is already ${status}`, { reservationId: id, status });
  }
}

/** Restock of a reservation whose units were never sold: there is nothing to put back. */
export class ReservationNotSoldError extends DomainError {
  constructor(id: string, status: string) {
    super('INVENTORY.RESERVATION_NOT_SOLD', 'conflict', `Reservation ${id} is ${status}, not sold: nothing to restock`, { reservationId: id, status });
  }
}

export class SkuNotStockedError extends DomainError {
  constructor(sku: string) {
    super('INVENTORY.SKU_NOT_STOCKED', 'not_found', `No stock has been recorded for SKU ${sku}`);
  }
}

export class InsufficientStockError extends DomainError {
  constructor(sku: string, location: string, onHand: number, reserved: number, delta: number) {
    super(
      'INVENTORY.INSUFFICIENT_STOCK',
      'conflict',
      `SKU ${sku} at ${location} has ${onHand} on hand, ${reserved} of them reserved: removing ${-delta} would leave less than the reserved units`,
      { sku, location, onHand, reserved },
    );
  }
}

export class InvalidAdjustmentError extends DomainError {
  constructor(detail: string) {
    super('INVENTORY.INVALID_ADJUSTMENT', 'bad_request', detail);
  }
}

export class InvalidReservationError extends DomainError {
  constructor(detail: string) {
    super('INVENTORY.INVALID_RESERVATION', 'bad_request', detail);
  }
}
