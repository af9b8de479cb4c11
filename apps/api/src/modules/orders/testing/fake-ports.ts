import { jest } from '@jest/globals';
import type { AuthorizeInput, CallContext, ReserveInput, CartApi, CheckoutCart, IdentityApi, InventoryApi, PaymentsApi, PaymentView, PricingApi, ReservationView } from '#contracts';
import { DomainError, type DomainErrorKind } from '#platform';
import type { Order, OrderTransition } from '../order.entity.js';
import type { NewOrder, NewOrderLine, OrderWithLines, OrdersRepository } from '../orders.repository.js';

/** Another context's error as it crosses its contract: only code, kind and extensions matter. */
export class PortError extends DomainError {
  constructor(code: string, kind: DomainErrorKind, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(code, kind, code, extensions, headers);
  }
}

export const guest: CallContext = { userId: null, roles: [], cartToken: 'cart-token-1', requestId: 'r1' };

export const address = { firstName: 'Ada', lastName: 'Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

export function checkoutCart(overrides: Partial<CheckoutCart> = {}): CheckoutCart {
  return {
    id: '0b7e3c5a-1d20-4c1e-9d2f-6f1c0a5e7a9b', customerId: null, status: 'open', currency: 'EUR',
    lines: [{
      id: 'l1', sku: 'MUG-BLUE', productId: '5a1d2000-7a9b-4c1e-9d2f-0b7e3c5a1d20', productName: 'Blue mug', options: { colour: 'blue' }, quantity: 2,
      unitPrice: 1500, subtotal: 3000, discount: 300, tax: 431, total: 2700, previousUnitPrice: null, categoryIds: [], brandId: null, taxRate: null,
    }],
    coupons: [], discounts: [{ promotionId: '9d2f0b7e-3c5a-4d20-8c1e-6f1c0a5e7a9b', code: 'TEN', name: '10 %', kind: 'order_percentage', amount: 300 }],
    shippingAddress: address, shippingMethod: { id: 'standard', name: 'Standard', amount: 499 }, taxIncluded: true,
    totals: { subtotal: 3000, discount: 300, shipping: 499, tax: 431, total: 3199 }, version: 3, updatedAt: new Date().toISOString(), pricesChanged: false,
    ...overrides,
  };
}

/** In-memory OrdersRepository with the same compare-and-set semantics as the SQL one. */
export class FakeOrdersRepository {
  readonly orders = new Map<string, OrderWithLines>();
  readonly transitions: Omit<OrderTransition, 'id'>[] = [];
  failNextCreate: Error | null = null;

  async create(order: NewOrder, lines: NewOrderLine[], actor: string) {
    if (this.failNextCreate) {
      const error = this.failNextCreate;
      this.failNextCreate = null;
      throw error;
    }
    if ([...this.orders.values()].some((o) => o.order.checkoutKey === order.checkoutKey)) return { duplicate: true as const };
    const taken = [...this.orders.values()].find((o) => o.order.cartId === order.cartId && o.order.status !== 'cancelled');
    if (taken) return { cartTaken: { ...taken.order } };
    const now = new Date();
    const created: Order = { ...order, number: `FC-0000-000${this.orders.size}`, status: 'pending_payment', settledAt: null, needsAttention: false, placedAt: now, updatedAt: now };
    this.orders.set(order.id, { order: created, lines: lines.map((l) => ({ ...l, orderId: order.id })) });
    this.transitions.push({ orderId: order.id, fromStatus: null, toStatus: 'pending_payment', actor, reason: 'checkout', at: now });
    return { created: this.orders.get(order.id)! };
  }

  async transition(id: string, from: Order['status'], to: Order['status'], actor: string, reason: string | null) {
    const held = this.orders.get(id);
    if (!held || held.order.status !== from) return null;
    held.order = { ...held.order, status: to, settledAt: to === 'paid' || to === 'cancelled' ? null : held.order.settledAt };
    this.transitions.push({ orderId: id, fromStatus: from, toStatus: to, actor, reason, at: new Date() });
    return { ...held.order };
  }

  async markSettled(id: string, status: Order['status'], patch: { reservationId?: string; needsAttention?: boolean } = {}) {
    const held = this.orders.get(id);
    if (held?.order.status === status) held.order = { ...held.order, settledAt: new Date(), reservationId: patch.reservationId ?? held.order.reservationId };
  }

  async flagAttention(id: string) {
    const held = this.orders.get(id);
    if (held) held.order = { ...held.order, needsAttention: true };
  }

  async find(id: string) {
    const held = this.orders.get(id);
    return held ? { ...held.order } : null;
  }

  async findByCheckoutKey(key: string) {
    return [...this.orders.values()].map((o) => ({ ...o.order })).find((o) => o.checkoutKey === key) ?? null;
  }

  async withLines(order: Order) {
    return { order, lines: this.orders.get(order.id)?.lines ?? [] };
  }

  async stalePending() {
    return [...this.orders.values()].filter((o) => o.order.status === 'pending_payment').map((o) => o.order.id);
  }

  async pendingPlacedBetween(from: Date, to: Date, afterId: string | null, limit: number) {
    return [...this.orders.values()]
      .map((o) => o.order)
      .filter((o) => o.status === 'pending_payment' && new Date(o.placedAt) >= from && new Date(o.placedAt) < to && (afterId === null || o.id > afterId))
      .map((o) => o.id)
      .sort()
      .slice(0, limit);
  }

  async unsettled() {
    return [...this.orders.values()].map((o) => ({ ...o.order })).filter((o) => !o.settledAt && (o.status === 'paid' || o.status === 'cancelled'));
  }

  async transitionsOf(id: string) {
    return this.transitions.filter((t) => t.orderId === id).map((t, i) => ({ ...t, id: String(i) }));
  }

  asRepository(): OrdersRepository {
    return this as unknown as OrdersRepository;
  }
}

const reservation = (reference: string, n: number): ReservationView => ({
  id: `00000000-0000-4000-8000-00000000000${n}`, reference, status: 'active', expiresAt: new Date().toISOString(), createdAt: new Date().toISOString(), lines: [],
});

/** Fakes of the contracts checkout calls, recording each call. */
export function fakePorts(cart = checkoutCart()) {
  const held = new Map<string, ReservationView>();
  const inventory = {
    availability: jest.fn(async () => []),
    reserve: jest.fn(async (_ctx: CallContext, input: ReserveInput) => {
      const existing = held.get(input.reference);
      if (existing && existing.status !== 'released') return existing;
      const made = reservation(input.reference, held.size + 1);
      held.set(input.reference, made);
      return made;
    }),
    commit: jest.fn(async (_ctx: CallContext, id: string) => {
      const found = [...held.values()].find((r) => r.id === id)!;
      if (found.status === 'released') throw new PortError('INVENTORY.RESERVATION_SETTLED', 'conflict');
      found.status = 'committed';
      return found;
    }),
    release: jest.fn(async (_ctx: CallContext, id: string, _reason: string) => {
      const found = [...held.values()].find((r) => r.id === id)!;
      if (found.status === 'committed' || found.status === 'returned') throw new PortError('INVENTORY.RESERVATION_SETTLED', 'conflict');
      found.status = 'released';
      return found;
    }),
    restock: jest.fn(async (_ctx: CallContext, id: string, _reason: string) => {
      const found = [...held.values()].find((r) => r.id === id)!;
      if (found.status !== 'committed' && found.status !== 'returned') throw new PortError('INVENTORY.RESERVATION_NOT_SOLD', 'conflict');
      found.status = 'returned';
      return found;
    }),
  } satisfies InventoryApi;
  const carts = {
    prepareCheckout: jest.fn(async () => structuredClone(cart)),
    markConverted: jest.fn(async () => undefined),
  } satisfies CartApi;
  const pricing = {
    priceCart: jest.fn(async () => { throw new Error('not used by checkout'); }),
    checkCoupon: jest.fn(async () => { throw new Error('not used by checkout'); }),
    redeem: jest.fn(async () => undefined),
    releaseRedemptions: jest.fn(async () => undefined),
  } satisfies PricingApi;
  const paymentView = (orderId: string, state: PaymentView['state']): PaymentView => ({
    id: 'p1', orderId, amount: 3199, currency: 'EUR', captured: state === 'captured' ? 3199 : 0, refunded: 0, state, captureMode: 'immediate',
    createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
  });
  const payments = {
    authorize: jest.fn(async (_ctx: CallContext, input: AuthorizeInput) => paymentView(input.orderId, 'captured')),
    capture: jest.fn(async () => { throw new Error('not used'); }),
    void: jest.fn(async () => { throw new Error('not used'); }),
    refund: jest.fn(async () => { throw new Error('not used'); }),
    listForOrder: jest.fn(async (): Promise<PaymentView[]> => []),
  } satisfies PaymentsApi;
  const identity = {
    createAccount: jest.fn(async () => { throw new Error('not used'); }),
    getAccount: jest.fn(async (_ctx: CallContext, id: string) => ({ id, email: 'Customer@Example.com', roles: ['customer' as const], status: 'active' as const, createdAt: '' })),
    setAccountStatus: jest.fn(async () => { throw new Error('not used'); }),
  } satisfies IdentityApi;
  return { inventory, cart: carts, pricing, payments, identity, held, paymentView };
}
