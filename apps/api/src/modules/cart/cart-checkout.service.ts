import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import type { CallContext, CheckoutCart, PrepareCheckoutInput } from '#contracts';
import { compactAddress, unsellableSkus } from './cart-rules.js';
import { CartWriter } from './cart-writer.js';
import { CartIncompleteError, CartNotOpenError, SkuNotPurchasableError } from './cart.errors.js';
import { cartView } from './cart.view.js';
import { CartsRepository } from './carts.repository.js';
import { ShippingRates } from './shipping-rates.js';

/** The cart's side of checkout: re-read and re-price everything, store it, hand it over; later, close it. */
@Injectable()
export class CartCheckoutService {
  constructor(
    private readonly writer: CartWriter,
    private readonly carts: CartsRepository,
    private readonly rates: ShippingRates,
  ) {}

  async prepare(ctx: CallContext, input: PrepareCheckoutInput): Promise<CheckoutCart> {
    const methodId = input.shippingMethodId === undefined ? undefined : this.rates.known(input.shippingMethodId);
    // What the cart showed last: its discount always (no address or method changes it), its total
    // when the checkout changes nothing it was priced for.
    const last: { shown: { total: number | null; discount: number } | null } = { shown: null };
    const { cart, variants, pricesChanged } = await this.writer.change(ctx, input.cartId, [], (current, read) => {
      const next = {
        ...current,
        shippingAddress: input.shippingAddress ? compactAddress(input.shippingAddress) : current.shippingAddress,
        shippingMethodId: methodId ?? current.shippingMethodId ?? this.rates.defaultId,
      };
      const sameChoices = isDeepStrictEqual(next.shippingAddress, current.shippingAddress) && next.shippingMethodId === current.shippingMethodId;
      last.shown = current.lines.length === 0 ? null : { total: sameChoices ? current.pricing.totals.total : null, discount: current.pricing.totals.discount };
      const missing = [...(next.lines.length === 0 ? ['lines'] : []), ...(next.shippingAddress ? [] : ['shippingAddress'])];
      if (missing.length > 0) throw new CartIncompleteError(missing);
      const unsellable = unsellableSkus(next.lines, read, next.currency);
      if (unsellable.length > 0) throw new SkuNotPurchasableError(unsellable);
      return next;
    }, { guestEmail: input.email });
    // A total that moved without a unit price moving (a tax rate, a promotion that ended or was used
    // up, a shipping rate) is shown before it is charged, as a changed price is.
    const before = last.shown;
    const totals = cart.pricing.totals;
    const totalMoved = before !== null && ((before.total !== null && before.total !== totals.total) || before.discount !== totals.discount);
    const view = cartView(cart, this.rates.all);
    const taxRates = new Map(cart.pricing.lines.map((l) => [l.lineId, l.taxRate]));
    return {
      ...view,
      lines: view.lines.map((line) => {
        const variant = variants.get(line.sku);
        return { ...line, categoryIds: variant?.categoryIds ?? [], brandId: variant?.brandId ?? null, taxRate: taxRates.get(line.id) ?? null };
      }),
      pricesChanged: pricesChanged || totalMoved,
    };
  }

  /** Repeating it with the same order changes nothing; another order, or a merged cart, is refused. */
  async markConverted(ctx: CallContext, input: { cartId: string; orderId: string }): Promise<void> {
    const cart = await this.writer.visible(ctx, input.cartId);
    if (cart.status === 'converted' && cart.orderId === input.orderId) return;
    if (cart.status !== 'open') throw new CartNotOpenError(cart.id, cart.status);
    const after = await this.carts.markConverted(cart.id, input.orderId);
    if (after?.status !== 'converted' || after.orderId !== input.orderId) throw new CartNotOpenError(cart.id, after?.status ?? 'gone');
  }
}
