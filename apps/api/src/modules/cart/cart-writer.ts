import { Inject, Injectable } from '@nestjs/common';
import { CATALOG_API, type CallContext, type CatalogApi, PRICING_API, type PricingApi } from '#contracts';
import { canSee } from './cart-access.js';
import { priceInput, reprice, type Variants } from './cart-rules.js';
import { CartBusyError, CartNotFoundError, CartNotOpenError } from './cart.errors.js';
import { type CartState, EMPTY_PRICING, type PricingSnapshot } from './cart.model.js';
import { CartsRepository } from './carts.repository.js';
import { KeyedQueue } from './keyed-queue.js';
import { ShippingRates } from './shipping-rates.js';

const MAX_ATTEMPTS = 5;

export type CartChange = (cart: CartState, variants: Variants) => CartState | Promise<CartState>;

/** The checkout's own change: the request carries all of it again on a retry. */
export interface AtCheckout {
  /** So a guest's uses of per-customer-limited promotions count. */
  guestEmail?: string;
}

export interface Changed {
  cart: CartState;
  variants: Variants;
  /** A line's price differed from what the cart showed before this change. */
  pricesChanged: boolean;
}

/**
 * The one way a cart changes: read it (access and status checked), re-read its SKUs from the
 * catalog, apply the change, price it and store it if nobody changed it meanwhile; else again.
 */
@Injectable()
export class CartWriter {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly carts: CartsRepository,
    private readonly rates: ShippingRates,
    @Inject(CATALOG_API) private readonly catalog: CatalogApi,
    @Inject(PRICING_API) private readonly pricing: PricingApi,
  ) {}

  /** The cart, if this caller may see it. */
  async visible(ctx: CallContext, id: string): Promise<CartState> {
    const cart = await this.carts.find(id);
    if (!cart || !canSee(ctx, cart)) throw new CartNotFoundError(id);
    return cart;
  }

  async open(ctx: CallContext, id: string): Promise<CartState> {
    const cart = await this.visible(ctx, id);
    if (cart.status !== 'open') throw new CartNotOpenError(id, cart.status);
    return cart;
  }

  /** `extraSkus`: SKUs the change needs from the catalog besides the cart's own. */
  change(ctx: CallContext, id: string, extraSkus: string[], apply: CartChange, atCheckout?: AtCheckout): Promise<Changed> {
    return this.queue.run(id, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const cart = await this.open(ctx, id);
        const variants = await this.variants(ctx, [...cart.lines.map((l) => l.sku), ...extraSkus]);
        const { lines, changed } = reprice(cart.lines, variants);
        const next = await apply({ ...cart, lines }, variants);
        const saved = await this.carts.save({ ...next, pricing: await this.price(ctx, next, variants, atCheckout?.guestEmail) }, atCheckout !== undefined);
        if (saved) return { cart: saved, variants, pricesChanged: changed };
        if (attempt === MAX_ATTEMPTS) throw new CartBusyError(id);
      }
    });
  }

  /** Several writers to one cart from this process take turns (see KeyedQueue). */
  serialized<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(id, task);
  }

  async variants(ctx: CallContext, skus: string[]): Promise<Variants> {
    const unique = [...new Set(skus)];
    if (unique.length === 0) return new Map();
    return new Map((await this.catalog.getVariants(ctx, unique)).map((v) => [v.sku, v]));
  }

  /** Pricing's answer for the cart as it stands; an empty cart with nothing chosen costs nothing and asks nobody. */
  async price(ctx: CallContext, cart: CartState, variants: Variants, guestEmail?: string): Promise<PricingSnapshot> {
    if (cart.lines.length === 0 && cart.couponCodes.length === 0 && cart.shippingMethodId === null) return { ...EMPTY_PRICING, taxIncluded: cart.pricing.taxIncluded };
    const input = priceInput(cart, variants, this.rates.all);
    const { currency: _, ...snapshot } = await this.pricing.priceCart(ctx, cart.customerId === null && guestEmail ? { ...input, email: guestEmail } : input);
    return snapshot;
  }
}
