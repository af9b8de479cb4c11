import type { MetadataScanner } from '@nestjs/core';
import { EVENT_LISTENER_METADATA, OnEvent } from '@nestjs/event-emitter';
import type { DeliveredEvent } from './domain-event.js';

/** Which events of its name a handler wants; the others it never sees. */
export type DomainEventFilter = (event: DeliveredEvent) => boolean;

/** On a method that `@OnDomainEvent(name, { when })` wrapped: its filter per event name. */
const FILTERS = Symbol('ficus:domain-event-filters');
type Subscribed = ((this: unknown, event: DeliveredEvent) => unknown) & { [FILTERS]?: ReadonlyMap<string, DomainEventFilter> };

/**
 * Subscribes a method to an outbox event. Unlike a bare `@OnEvent`, which swallows a listener's
 * error, a failure here reaches the relay, so the event stays in the outbox and is retried.
 * `when`: the events of that name the method wants (say, orders of customers, not of guests); the
 * others skip it, and the relay adds no job for an event that every handler here would skip.
 */
export function OnDomainEvent(name: string, options: { when?: DomainEventFilter } = {}): MethodDecorator {
  const { when } = options;
  const subscribe = OnEvent(name, { suppressErrors: false });
  return (target, key, descriptor) => {
    if (when) {
      const handle = descriptor.value as unknown as Subscribed;
      // Events of other names (the method may subscribe to several) pass untouched.
      const filtered: Subscribed = function (this: unknown, event: DeliveredEvent) {
        return event?.name !== name || when(event) ? handle.call(this, event) : undefined;
      };
      Object.defineProperty(filtered, 'name', { value: handle.name });
      // The subscriptions of decorators applied before this one live on the replaced function.
      for (const metadataKey of Reflect.getOwnMetadataKeys(handle)) Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, handle), filtered);
      filtered[FILTERS] = new Map([...(handle[FILTERS] ?? []), [name, when]]);
      descriptor.value = filtered as typeof descriptor.value;
    }
    subscribe(target, key, descriptor);
  };
}

/**
 * The event subscriptions of the handlers that run in this process (the instances Nest's event
 * loader subscribes), per event name: the filters of `@OnDomainEvent(name, { when })` methods, and
 * how many subscriptions take every event of the name (`@OnDomainEvent` without `when`, a bare
 * `@OnEvent`). Classes declared but not instantiated here do not count.
 */
export class DomainEventSubscriptions {
  private readonly byName = new Map<string, { filters: DomainEventFilter[]; unfiltered: number }>();

  constructor(instances: Iterable<object>, scanner: MetadataScanner) {
    for (const instance of instances) {
      for (const key of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const method = (instance as Record<string, Subscribed>)[key]!;
        const subscriptions = Reflect.getMetadata(EVENT_LISTENER_METADATA, method) as { event: unknown }[] | undefined;
        for (const { event } of subscriptions ?? []) {
          if (typeof event !== 'string') continue;
          const entry = this.byName.get(event) ?? { filters: [], unfiltered: 0 };
          const filter = method[FILTERS]?.get(event);
          if (filter) entry.filters.push(filter);
          else entry.unfiltered += 1;
          this.byName.set(event, entry);
        }
      }
    }
  }

  /**
   * Whether some handler among `listeners` (the emitter's count for the name) wants `event`. Skips
   * only when every one of them is a filtered subscription found here that says no: a listener
   * count that differs from them (one added by hand, under another kind of name) keeps it.
   */
  wanted(event: DeliveredEvent, listeners: number): boolean {
    if (listeners === 0) return false;
    const entry = this.byName.get(event.name);
    if (!entry || entry.unfiltered > 0 || entry.filters.length !== listeners) return true;
    return entry.filters.some((filter) => filter(event));
  }
}
