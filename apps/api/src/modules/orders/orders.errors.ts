import type { OrderStatus, PriceTotals } from '#contracts';
import { DomainError } from '#platform';

export class OrderNotFoundError extends DomainError {
  constructor(id: string) {
    super('ORDERS.NOT_FOUND', 'not_found', `No order ${id}`);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(from: OrderStatus, to: OrderStatus, allowed: OrderStatus[]) {
    const detail = allowed.length ? `An order in ${from} can move to ${allowed.join(', ')}, not ${to}` : `An order in ${from} cannot change any more`;
    super('ORDERS.INVALID_TRANSITION', 'conflict', detail, { from, to, allowed });
  }
}

/** A guest's lookup found no order with this number and email (the same answer for either mismatch). */
export class OrderLookupFailedError extends DomainError {
  constructor() {
    super('ORDERS.NOT_FOUND', 'not_found', 'No order with this number and email');
  }
}

export class CheckoutIncompleteError extends DomainError {
  constructor(readonly missing: string[]) {
    super('CHECKOUT.INCOMPLETE', 'unprocessable', `The checkout is missing: ${missing.join(', ')}`, { missing });
  }
}

/** A price moved since the shopper last saw the cart: show it, never charge it silently. Nothing was reserved. */
export class PricesChangedError extends DomainError {
  constructor(totals: PriceTotals, lines: { sku: string; unitPrice: number; previousUnitPrice: number | null }[]) {
    super('CHECKOUT.PRICES_CHANGED', 'conflict', 'Prices changed since the cart was last shown; review the cart and check out again', { totals, lines });
  }
}

/** The card was declined: the order is cancelled, its stock and promotions released; the cart stays open. */
export class CheckoutPaymentDeclinedError extends DomainError {
  constructor(orderId: string, reason: string) {
    super('CHECKOUT.PAYMENT_DECLINED', 'payment_required', `The payment was declined (${reason}); try another card`, { orderId, reason });
  }
}

/** The cart already has an order that is not cancelled: pay that one (same Idempotency-Key) rather than a second. */
export class CartHasOrderError extends DomainError {
  constructor(orderId: string, status: string) {
    super('CHECKOUT.CART_HAS_ORDER', 'conflict', `This cart already has order ${orderId} (${status}); retry that checkout with its Idempotency-Key, or wait for it to settle`, { orderId, orderStatus: status });
  }
}

/** A retried checkout whose order was cancelled meanwhile (expired unpaid, or by an admin): check out again with a new key. */
export class CheckoutOrderCancelledError extends DomainError {
  constructor(orderId: string, reason: string | null) {
    super('CHECKOUT.ORDER_CANCELLED', 'conflict', `The order of this checkout was cancelled (${reason ?? 'cancelled'}); check out again with a new Idempotency-Key`, { orderId, reason });
  }
}
