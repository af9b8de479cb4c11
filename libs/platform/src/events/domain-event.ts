/**
 * A versioned fact, plain JSON: `{ name: 'orders.order-placed', version: 1, orderId, total }`.
 * Consumers subscribe with `@OnDomainEvent(name)` (on @nestjs/event-emitter) and must be idempotent on a
 * business key: delivery is at least once.
 */
export interface DomainEvent {
  name: string;
  version: number;
  [field: string]: unknown;
}

/** What a consumer receives: the event plus its outbox id and when it happened (UTC). */
export type DeliveredEvent<E extends DomainEvent = DomainEvent> = E & { eventId: string; occurredAt: string };
