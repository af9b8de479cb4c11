import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, type CartView, INVENTORY_API, type InventoryApi } from '#contracts';
import { AppConfig } from '#platform';
import { hashCartToken, newCartToken } from './cart-access.js';
import { mergeLines, reprice, unionCoupons } from './cart-rules.js';
import { CartWriter } from './cart-writer.js';
import { CartBusyError, CartNotOpenError } from './cart.errors.js';
import { type CartState, EMPTY_PRICING } from './cart.model.js';
import { cartView } from './cart.view.js';
import { CartsRepository } from './carts.repository.js';
import { ShippingRates } from './shipping-rates.js';

export type OpenedCart = CartView & { token: string | null };

const MAX_ATTEMPTS = 5;

/**
 * `POST /carts`: a guest gets a new cart and its token; a customer gets their open cart (made if
 * none), into which the guest cart named by X-Cart-Token is merged first (the login merge).
 */
@Injectable()
export class CartSessionsService {
  private readonly defaultCurrency: string;
  private readonly maxPerLine: number;

  constructor(
    private readonly carts: CartsRepository,
    private readonly writer: CartWriter,
    private readonly rates: ShippingRates,
    @Inject(INVENTORY_API) private readonly inventory: InventoryApi,
    config: AppConfig,
  ) {
    this.defaultCurrency = config.get('DEFAULT_CURRENCY');
    this.maxPerLine = config.get('CART_MAX_LINE_QUANTITY');
  }

  async open(ctx: CallContext, input: { currency?: string }): Promise<OpenedCart> {
    if (ctx.userId === null) {
      const token = newCartToken();
      const cart = await this.insert({ customerId: null, tokenHash: hashCartToken(token), currency: input.currency ?? this.defaultCurrency });
      return { ...cartView(cart!, this.rates.all), token };
    }
    const guest = ctx.cartToken ? await this.carts.findOpenByToken(hashCartToken(ctx.cartToken)) : null;
    let own = await this.customerCart(ctx.userId, input.currency ?? guest?.currency ?? this.defaultCurrency);
    if (guest && guest.customerId === null) own = await this.merge(ctx, own.id, guest.id);
    return { ...cartView(own, this.rates.all), token: null };
  }

  private async customerCart(customerId: string, currency: string): Promise<CartState> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const cart = (await this.carts.findOpenByCustomer(customerId)) ?? (await this.insert({ customerId, tokenHash: null, currency }));
      if (cart) return cart;
    }
    throw new CartBusyError(customerId);
  }

  private insert(cart: { customerId: string | null; tokenHash: string | null; currency: string }) {
    return this.carts.insert({ id: randomUUID(), pricing: EMPTY_PRICING, ...cart });
  }

  /** The guest cart's lines, coupons and (where the customer's cart has none) address and method, in one transaction. */
  private merge(ctx: CallContext, targetId: string, guestId: string): Promise<CartState> {
    return this.writer.serialized(targetId, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const [target, guest] = await Promise.all([this.carts.find(targetId), this.carts.find(guestId)]);
        if (!target || target.status !== 'open') throw new CartNotOpenError(targetId, target?.status ?? 'gone');
        // Merged by a concurrent login already: nothing left to bring over.
        if (!guest || guest.status !== 'open') return target;
        const skus = guest.lines.map((l) => l.sku);
        const [variants, stock] = await Promise.all([
          this.writer.variants(ctx, [...target.lines.map((l) => l.sku), ...skus]),
          skus.length ? this.inventory.availability(ctx, skus) : Promise.resolve([]),
        ]);
        const limits = { available: new Map(stock.map((s) => [s.sku, s.available])), maxPerLine: this.maxPerLine, variants, currency: target.currency };
        const next: CartState = {
          ...target,
          lines: reprice(mergeLines(target.lines, guest.lines, limits, randomUUID), variants).lines,
          couponCodes: unionCoupons(target.couponCodes, guest.couponCodes),
          shippingAddress: target.shippingAddress ?? guest.shippingAddress,
          shippingMethodId: target.shippingMethodId ?? guest.shippingMethodId,
        };
        const saved = await this.carts.saveMerge({ ...next, pricing: await this.writer.price(ctx, next, variants) }, guest);
        if (saved) return saved;
      }
      throw new CartBusyError(targetId);
    });
  }
}
