import type { CallContext } from '../call-context.js';

/** returned: committed, then its units went back on hand (a paid order cancelled before it shipped). */
export type ReservationStatus = 'active' | 'committed' | 'released' | 'expired' | 'returned';
export type MovementKind = 'received' | 'reserved' | 'released' | 'sold' | 'returned' | 'adjusted';

export interface ReserveLine {
  sku: string;
  /** Whole units, at least 1. */
  quantity: number;
}

export interface ReserveInput {
  /** What holds the stock (a checkout or order id); a second reserve for a reference still held returns that reservation. */
  reference: string;
  lines: ReserveLine[];
  /** How long the stock is held before it is released on its own; default INVENTORY_RESERVATION_TTL_MS. */
  ttlMs?: number;
}

export interface ReservationView {
  id: string;
  reference: string;
  status: ReservationStatus;
  /** UTC, ISO 8601. */
  expiresAt: string;
  createdAt: string;
  /** Each line is held at one stock location. */
  lines: { sku: string; location: string; quantity: number }[];
}

export interface SkuAvailability {
  sku: string;
  /** On hand minus reserved, over every location; 0 for an unknown SKU. */
  available: number;
}

export interface InventoryApi {
  /** Available units per SKU, in the order asked. */
  availability(ctx: CallContext, skus: string[]): Promise<SkuAvailability[]>;
  /** Holds every line or none; throws INVENTORY.OUT_OF_STOCK (listing the SKUs short) otherwise. */
  reserve(ctx: CallContext, input: ReserveInput): Promise<ReservationView>;
  /** The stock is sold: on hand and reserved both drop. Repeating it is a no-op; a released reservation throws INVENTORY.RESERVATION_SETTLED. */
  commit(ctx: CallContext, reservationId: string): Promise<ReservationView>;
  /** The stock is free again. Repeating it (or releasing an expired one) is a no-op; a committed or returned reservation throws INVENTORY.RESERVATION_SETTLED. */
  release(ctx: CallContext, reservationId: string, reason: string): Promise<ReservationView>;
  /**
   * The sold units go back on hand (`returned`): the goods never left, as for a paid order cancelled
   * before shipping. Repeating it is a no-op; a reservation never committed throws INVENTORY.RESERVATION_NOT_SOLD.
   */
  restock(ctx: CallContext, reservationId: string, reason: string): Promise<ReservationView>;
}

export const InventoryPatterns = {
  availability: 'inventory.availability',
  reserve: 'inventory.reserve',
  commit: 'inventory.commit',
  release: 'inventory.release',
  restock: 'inventory.restock',
} satisfies Record<keyof InventoryApi, string>;

export const INVENTORY_API = Symbol('INVENTORY_API');
