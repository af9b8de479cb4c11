import { DomainError } from '#platform';

/** Also what a caller gets for a cart it may not see (another customer's, a guest cart without its token). */
export class CartNotFoundError extends DomainError {
  constructor(id: string) {
    super('CART.NOT_FOUND', 'not_found', `No cart ${id}`);
  }
}

export class CartNotOpenError extends DomainError {
  constructor(id: string, status: string) {
    super('CART.NOT_OPEN', 'conflict', `Cart ${id} is ${status} and can no longer change`, { cartStatus: status });
  }
}

export class CartLineNotFoundError extends DomainError {
  constructor(lineId: string) {
    super('CART.LINE_NOT_FOUND', 'not_found', `The cart has no line ${lineId}`);
  }
}

export class SkuNotFoundError extends DomainError {
  constructor(sku: string) {
    super('CART.SKU_NOT_FOUND', 'not_found', `No product is sold as SKU ${sku}`, { sku });
  }
}

export class SkuNotPurchasableError extends DomainError {
  constructor(skus: string[]) {
    super('CART.NOT_PURCHASABLE', 'unprocessable', `SKU ${skus.join(', ')} cannot be bought now`, { skus });
  }
}

export class CurrencyMismatchError extends DomainError {
  constructor(sku: string, skuCurrency: string, cartCurrency: string) {
    super('CART.CURRENCY_MISMATCH', 'unprocessable', `SKU ${sku} is sold in ${skuCurrency}, the cart is in ${cartCurrency}`, { sku, skuCurrency, cartCurrency });
  }
}

export class LineQuantityError extends DomainError {
  constructor(sku: string, quantity: number, max: number) {
    super('CART.QUANTITY_INVALID', 'bad_request', `A cart line holds 1 to ${max} units; ${quantity} of ${sku} asked`, { sku, quantity, max });
  }
}

export class CartOutOfStockError extends DomainError {
  constructor(sku: string, requested: number, available: number) {
    super('CART.OUT_OF_STOCK', 'conflict', `SKU ${sku} has ${available} available, ${requested} requested`, { sku, requested, available });
  }
}

export class CouponRejectedError extends DomainError {
  constructor(code: string, reason: string, detail?: string) {
    super('CART.COUPON_REJECTED', 'unprocessable', detail ?? `Coupon ${code} cannot be used: ${reason}`, { coupon: code, reason });
  }
}

export class UnknownShippingMethodError extends DomainError {
  constructor(methodId: string, known: string[]) {
    super('CART.UNKNOWN_SHIPPING_METHOD', 'unprocessable', `No shipping method ${methodId}; there are ${known.join(', ')}`, { methodId, methods: known });
  }
}

/** Checkout needs lines and an address. */
export class CartIncompleteError extends DomainError {
  constructor(missing: string[]) {
    super('CART.INCOMPLETE', 'unprocessable', `The cart is missing: ${missing.join(', ')}`, { missing });
  }
}

/** Others kept changing the cart while this change was computed; nothing was written. */
export class CartBusyError extends DomainError {
  constructor(id: string) {
    super('CART.BUSY', 'conflict', `Cart ${id} kept changing; try again`, {}, { 'retry-after': '1' });
  }
}
