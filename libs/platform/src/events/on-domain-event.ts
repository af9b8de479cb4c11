import { OnEvent } from '@nestjs/event-emitter';
import type { DeliveredEvent } from './domain-event.js';

/** Which events of its name a handler wants; the others it never sees. */
export type DomainEventFilter = (event: DeliveredEvent) => boolean;

/** Per event name, one entry per `@OnDomainEvent` method: its filter, or null when it takes them all. */
const declared = new Map<string, (DomainEventFilter | null)[]>();

/**
 * Subscribes a method to an outbox event. Unlike a bare `@OnEvent`, which swallows a listener's
 * error, a failure here reaches the relay, so the event stays in the outbox and is retried.
 * `when`: the events of that name the method wants (say, orders of customers, not of guests); the
 * others skip it, and the relay adds no job for an event that every handler here would skip.
 */
export function OnDomainEvent(name: string, options: { when?: DomainEventFilter } = {}): MethodDecorator {
  const { when } = options;
  declared.set(name, [...(declared.get(name) ?? []), when ?? null]);
  const subscribe = OnEvent(name, { suppressErrors: false });
  return (target, key, descriptor) => {
    if (when) {
      const handle = descriptor.value as unknown as (this: unknown, event: DeliveredEvent) => unknown;
      // Events of other names (the method may subscribe to several) pass untouched.
      const filtered = function (this: unknown, event: DeliveredEvent) {
        return event?.name !== name || when(event) ? handle.call(this, event) : undefined;
      };
      Object.defineProperty(filtered, 'name', { value: handle.name });
      // The subscriptions of decorators applied before this one live on the replaced function.
      for (const metadataKey of Reflect.getOwnMetadataKeys(handle)) Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, handle), filtered);
      descriptor.value = filtered as typeof descriptor.value;
    }
    subscribe(target, key, descriptor);
  };
}

/**
 * Whether some handler among `listeners` (the emitter's count for the name) wants `event`. Skips
 * only when every one of them is a filtered `@OnDomainEvent` that says no: a listener count that
 * differs from the declarations (a bare `@OnEvent`, a class declared but not instantiated) keeps it.
 */
export function wantedBySomeHandler(event: DeliveredEvent, listeners: number): boolean {
  if (listeners === 0) return false;
  const filters = declared.get(event.name);
  if (!filters || filters.length !== listeners || filters.some((filter) => filter === null)) return true;
  return filters.some((filter) => filter!(event));
}
