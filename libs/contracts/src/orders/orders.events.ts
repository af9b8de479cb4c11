import type { OrderStatus } from './orders.api.js';

/** Published (v1) through the outbox when checkout creates an order. */
export type OrderPlacedEvent = {
  name: 'orders.order-placed';
  version: 1;
  orderId: string;
  number: string;
  customerId: string | null;
  email: string;
  currency: string;
  total: number;
  promotionIds: string[];
};

/** Published (v1) through the outbox on every status transition, in the transition's transaction. */
export type OrderStatusChangedEvent = {
  name: 'orders.order-status-changed';
  version: 1;
  orderId: string;
  number: string;
  from: OrderStatus;
  to: OrderStatus;
  /** The account that made the change, or 'system' for payments, reconciliation and expiry. */
  by: string;
  reason: string | null;
  at: string;
};

export const OrderEvents = {
  placed: 'orders.order-placed',
  statusChanged: 'orders.order-status-changed',
} as const;
