import { OnDomainEvent, wantedBySomeHandler } from './on-domain-event.js';

class Guests {
  seen: unknown[] = [];

  @OnDomainEvent('spec-filter.order-placed', { when: (event) => event.customerId !== null })
  onPlaced(event: unknown): string {
    this.seen.push(event);
    return 'handled';
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

  it('lets the relay skip an event only when every listener is a filtered declaration that says no', () => {
    expect(wantedBySomeHandler(event(null), 1)).toBe(false);
    expect(wantedBySomeHandler(event('c1'), 1)).toBe(true);
    // Two listeners but one declaration (a bare @OnEvent, say): kept.
    expect(wantedBySomeHandler(event(null), 2)).toBe(true);
    expect(wantedBySomeHandler({ ...event(null), name: 'spec-filter.undeclared' }, 1)).toBe(true);
    expect(wantedBySomeHandler({ ...event(null), name: 'spec-filter.undeclared' }, 0)).toBe(false);
  });
});
