/** BullMQ queue for pending_payment orders: a delayed check per order whose payment is not settled, plus a repeatable sweep. */
export const ORDER_EXPIRY_QUEUE = 'orders-payment-expiry';

export type OrderExpiryJob = { name: 'check'; data: { orderId: string } } | { name: 'sweep'; data: Record<string, never> };

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
