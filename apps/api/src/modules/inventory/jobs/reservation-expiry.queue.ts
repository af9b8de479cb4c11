import { OncePerWindow } from '#platform';

/** BullMQ queue for reservation expiry: one delayed job per window of expiries, plus the repeatable sweep. */
export const RESERVATION_EXPIRY_QUEUE = 'inventory-reservation-expiry';

export type ReservationExpiryJob =
  | { name: 'expire-due'; data: { dueBy: string } }
  // One reservation's job, as releases before expiry windows enqueued it: still run if queued.
  | { name: 'expire'; data: { reservationId: string } }
  | { name: 'sweep'; data: Record<string, never> };

/**
 * Reservations that expire within one window share one delayed job, run at the window's end: at
 * 200 checkouts/s that is one job a second instead of 200, and most of them would find their
 * reservation long committed. The grace covers clocks a little apart (the job's due time is the
 * app's, the `expires_at <= now()` check PostgreSQL's).
 */
export const EXPIRY_WINDOW_MS = 1000;
export const EXPIRY_GRACE_MS = 250;

/** The window a reservation's expiry falls in, by its end (epoch ms); its job id, the same on every instance. */
export const expiryWindowOf = (expiresAt: Date): number => OncePerWindow.of(expiresAt, EXPIRY_WINDOW_MS).end;
export const expiryJobId = (windowEnd: number): string => `expire-due-${windowEnd}`;

export const SWEEP_SCHEDULER_ID = 'inventory-reservation-sweep';

export const EXPIRY_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;
