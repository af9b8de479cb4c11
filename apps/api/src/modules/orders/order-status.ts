import type { OrderStatus } from '#contracts';

export const ORDER_STATUSES: OrderStatus[] = ['pending_payment', 'paid', 'fulfilling', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded'];

const REFUNDS: OrderStatus[] = ['refunded', 'partially_refunded'];

/**
 * The order life cycle. Refund statuses follow the payment's refund events: further partial refunds
 * leave a partially refunded order as it is (no self-transition, so a repeated event records nothing),
 * the last one makes it refunded. cancelled and refunded are final.
 */
const NEXT: Record<OrderStatus, OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['fulfilling', 'cancelled', ...REFUNDS],
  fulfilling: ['shipped', ...REFUNDS],
  shipped: ['delivered', ...REFUNDS],
  delivered: REFUNDS,
  partially_refunded: ['refunded'],
  refunded: [],
  cancelled: [],
};

/** Statuses only payments may cause (its events and checkout's settle), never an admin's request. */
export const PAYMENT_DRIVEN: OrderStatus[] = ['paid', ...REFUNDS];

export const allowedFrom = (status: OrderStatus): OrderStatus[] => NEXT[status];

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => NEXT[from].includes(to);

/** Money was taken for the order (and not given back in full). */
export const isPaidStatus = (status: OrderStatus): boolean => ['paid', 'fulfilling', 'shipped', 'delivered', 'partially_refunded'].includes(status);
