/**
 * BullMQ queue for pending_payment orders: a delayed check of the orders placed in one window whose
 * payment did not settle at checkout (see CHECK_WINDOW_MS), a delayed check per order whose payment
 * is still unknown at expiry, and a repeatable sweep.
 */
export const ORDER_EXPIRY_QUEUE = 'orders-payment-expiry';

export type OrderExpiryJob =
  | { name: 'check-placed'; data: { placedFrom: string; placedTo: string } }
  | { name: 'check'; data: { orderId: string } }
  | { name: 'sweep'; data: Record<string, never> };

/**
 * Orders placed within one window share one check, due when the last of them is: while the payment
 * provider is down every checkout leaves its order pending, one job a second instead of one each.
 * The window is the order's placed_at, PostgreSQL's clock; the grace covers the app's being behind.
 */
export const CHECK_WINDOW_MS = 1000;
export const CHECK_GRACE_MS = 250;
export const checkPlacedJobId = (windowEnd: number): string => `check-placed-${windowEnd}`;

export const ORDER_SWEEP_SCHEDULER_ID = 'orders-pending-sweep';

export const ORDER_EXPIRY_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;

/** After the reservation's TTL, plus a margin so the payment's own reconciliation has had its turn. */
export const EXPIRY_GRACE_MS = 5_000;
/** A payment still unknown at expiry is asked again this much later. */
export const RECHECK_AFTER_MS = 60_000;
