import type { OrderStatus } from '#contracts';
import { allowedFrom, canMove, isPaidStatus, ORDER_STATUSES } from './order-status.js';

const ALLOWED: [OrderStatus, OrderStatus][] = [
  ['pending_payment', 'paid'],
  ['pending_payment', 'cancelled'],
  ['paid', 'fulfilling'],
  ['paid', 'cancelled'],
  ['paid', 'refunded'],
  ['paid', 'partially_refunded'],
  ['fulfilling', 'shipped'],
  ['fulfilling', 'refunded'],
  ['fulfilling', 'partially_refunded'],
  ['shipped', 'delivered'],
  ['shipped', 'refunded'],
  ['shipped', 'partially_refunded'],
  ['delivered', 'refunded'],
  ['delivered', 'partially_refunded'],
  ['partially_refunded', 'refunded'],
];
const key = ([from, to]: [OrderStatus, OrderStatus]) => `${from} -> ${to}`;
const allowed = new Set(ALLOWED.map(key));
const every = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to): [OrderStatus, OrderStatus] => [from, to]));

describe('the order state machine', () => {
  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canMove(from, to)).toBe(true);
    expect(allowedFrom(from)).toContain(to);
  });

  it.each(every.filter((pair) => !allowed.has(key(pair))))('forbids %s -> %s', (from, to) => {
    expect(canMove(from, to)).toBe(false);
    expect(allowedFrom(from)).not.toContain(to);
  });

  it('ends in cancelled and refunded', () => {
    expect(allowedFrom('cancelled')).toEqual([]);
    expect(allowedFrom('refunded')).toEqual([]);
  });

  it('never moves an order back to pending_payment, nor to the status it is in', () => {
    for (const status of ORDER_STATUSES) {
      expect(canMove(status, 'pending_payment')).toBe(false);
      expect(canMove(status, status)).toBe(false);
    }
  });

  it('counts as paid what holds money not given back in full', () => {
    expect(ORDER_STATUSES.filter(isPaidStatus)).toEqual(['paid', 'fulfilling', 'shipped', 'delivered', 'partially_refunded']);
  });
});
