import { MetadataScanner } from '@nestjs/core';
import { EVENT_LISTENER_METADATA, OnEvent } from '@nestjs/event-emitter';
import { DomainEventSubscriptions, OnDomainEvent } from './on-domain-event.js';

class Guests {
  seen: unknown[] = [];

  @OnDomainEvent('spec-filter.order-placed', { when: (event) => event.customerId !== null })
  onPlaced(event: unknown): string {
    this.seen.push(event);
    return 'handled';
  }
}

class Stacked {
  seen: string[] = [];

  @OnDomainEvent('spec-filter.authorized', { when: (event) => event.captured === 0 })
  @OnDomainEvent('spec-filter.captured')
  onPaid(event: { name: string }): void {
    this.seen.push(event.name);
  }
}

/** Declared, never instantiated (a context that runs in another process, say). */
export class Elsewhere {
  @OnDomainEvent('spec-filter.order-placed', { when: () => false })
  onPlaced(): void {}
}

class Bare {
  @OnEvent('spec-filter.order-placed')
  onPlaced(): void {}
}

class BothFiltered {
  @OnDomainEvent('spec-filter.authorized', { when: (event) => event.captured === 0 })
  @OnDomainEvent('spec-filter.captured', { when: (event) => event.captured === 100 })
  onPaid(): void {}
}

const event = (customerId: string | null) => ({ name: 'spec-filter.order-placed', version: 1, eventId: 'e', occurredAt: '2026-11-28T00:00:00.000Z', customerId });

describe('OnDomainEvent with when', () => {
  it('runs the method only for the events it wants', () => {
    const guests = new Guests();
    expect(guests.onPlaced(event(null))).toBeUndefined();
    expect(guests.onPlaced(event('c1'))).toBe('handled');
    expect(guests.seen).toEqual([event('c1')]);
    expect(Guests.prototype.onPlaced.name).toBe('onPlaced');
  });

  it('filters only its own name when stacked, and keeps the subscriptions declared before it', () => {
    const stacked = new Stacked();
    stacked.onPaid({ name: 'spec-filter.captured', captured: 100 } as never);
    stacked.onPaid({ name: 'spec-filter.authorized', captured: 100 } as never);
    stacked.onPaid({ name: 'spec-filter.authorized', captured: 0 } as never);
    expect(stacked.seen).toEqual(['spec-filter.captured', 'spec-filter.authorized']);
    const subscribed = (Reflect.getMetadata(EVENT_LISTENER_METADATA, Stacked.prototype.onPaid) as { event: string }[]).map((entry) => entry.event);
    expect(subscribed.sort()).toEqual(['spec-filter.authorized', 'spec-filter.captured']);
  });

  it('lets the relay skip an event only when every listener is a filtered subscription that says no', () => {
    const scanner = new MetadataScanner();
    const guests = new DomainEventSubscriptions([new Guests()], scanner);
    expect(guests.wanted(event(null), 1)).toBe(false);
    expect(guests.wanted(event('c1'), 1)).toBe(true);
    expect(guests.wanted(event(null), 0)).toBe(false);
    // One listener more than the subscriptions found (added by hand, say): kept.
    expect(guests.wanted(event(null), 2)).toBe(true);
    expect(guests.wanted({ ...event(null), name: 'spec-filter.undeclared' }, 1)).toBe(true);
    expect(guests.wanted({ ...event(null), name: 'spec-filter.undeclared' }, 0)).toBe(false);
  });

  it('counts a bare @OnEvent as wanting everything, and no class that is not instantiated', () => {
    // Elsewhere is declared with a filter that says no; it must not stand in for Bare's listener.
    const withBare = new DomainEventSubscriptions([new Guests(), new Bare()], new MetadataScanner());
    expect(withBare.wanted(event(null), 2)).toBe(true);
  });

  it('keeps the filter of each name when filtered subscriptions are stacked', () => {
    const both = new DomainEventSubscriptions([new BothFiltered()], new MetadataScanner());
    const paid = (name: string, captured: number) => ({ ...event(null), name, captured });
    expect(both.wanted(paid('spec-filter.authorized', 0), 1)).toBe(true);
    expect(both.wanted(paid('spec-filter.authorized', 100), 1)).toBe(false);
    expect(both.wanted(paid('spec-filter.captured', 100), 1)).toBe(true);
    expect(both.wanted(paid('spec-filter.captured', 0), 1)).toBe(false);
  });
});
