/** BullMQ queue for reservation expiry: one delayed job per reservation, plus the repeatable sweep. */
export const RESERVATION_EXPIRY_QUEUE = 'inventory-reservation-expiry';

export type ReservationExpiryJob = { name: 'expire'; data: { reservationId: string } } | { name: 'sweep'; data: Record<string, never> };

export const SWEEP_SCHEDULER_ID = 'inventory-reservation-sweep';

export const EXPIRY_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;
