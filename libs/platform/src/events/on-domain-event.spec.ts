import { EVENT_LISTENER_METADATA } from '@nestjs/event-emitter';
import { OnDomainEvent, wantedBySomeHandler } from './on-domain-event.js';

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

  it('lets the relay skip an event only when every listener is a filtered declaration that says no', () => {
    expect(wantedBySomeHandler(event(null), 1)).toBe(false);
    expect(wantedBySomeHandler(event('c1'), 1)).toBe(true);
    // Two listeners but one declaration (a bare @OnEvent, say): kept.
    expect(wantedBySomeHandler(event(null), 2)).toBe(true);
    expect(wantedBySomeHandler({ ...event(null), name: 'spec-filter.undeclared' }, 1)).toBe(true);
    expect(wantedBySomeHandler({ ...event(null), name: 'spec-filter.undeclared' }, 0)).toBe(false);
  });
});
