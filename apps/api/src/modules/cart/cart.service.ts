import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type CallContext, type CartView, INVENTORY_API, type InventoryApi, PRICING_API, type PricingApi, type ShippingMethodView } from '#contracts';
import { AppConfig } from '#platform';
import { addUnits, checkQuantity, checkStock, compactAddress, hasCoupon, priceInput, sellable, withoutCoupon } from './cart-rules.js';
import { CartWriter, type CartChange } from './cart-writer.js';
import { CartLineNotFoundError, CouponRejectedError } from './cart.errors.js';
import type { CartState } from './cart.model.js';
import { cartView } from './cart.view.js';
import { ShippingRates } from './shipping-rates.js';

/** What a shopper does to an open cart: lines, coupons, where and how it ships. Every answer is the whole cart. */
@Injectable()
export class CartService {
  private readonly maxPerLine: number;

  constructor(
    private readonly writer: CartWriter,
    private readonly rates: ShippingRates,
    @Inject(INVENTORY_API) private readonly inventory: InventoryApi,
    @Inject(PRICING_API) private readonly pricing: PricingApi,
    config: AppConfig,
  ) {
    this.maxPerLine = config.get('CART_MAX_LINE_QUANTITY');
  }

  async get(ctx: CallContext, id: string): Promise<CartView> {
    return this.view(await this.writer.visible(ctx, id));
  }

  async addItem(ctx: CallContext, id: string, input: { sku: string; quantity: number }): Promise<CartView> {
    checkQuantity(input.sku, input.quantity, this.maxPerLine);
    // Asked while the cart is read: one round trip fewer on the busiest route.
    const available = this.available(ctx, input.sku);
    available.catch(() => undefined);
    return this.change(ctx, id, [input.sku], async (cart, variants) => {
      const variant = sellable(variants, input.sku, cart.currency);
      const quantity = (cart.lines.find((l) => l.sku === input.sku)?.quantity ?? 0) + input.quantity;
      checkQuantity(input.sku, quantity, this.maxPerLine);
      checkStock(input.sku, quantity, await available);
      return { ...cart, lines: addUnits(cart.lines, variant, input.quantity, randomUUID) };
    });
  }

  async setQuantity(ctx: CallContext, id: string, lineId: string, quantity: number): Promise<CartView> {
    return this.change(ctx, id, [], async (cart, variants) => {
      const line = lineOf(cart, lineId);
      checkQuantity(line.sku, quantity, this.maxPerLine);
      // Fewer units are always fine; more need the SKU on sale and in stock.
      if (quantity > line.quantity) {
        sellable(variants, line.sku, cart.currency);
        checkStock(line.sku, quantity, await this.available(ctx, line.sku));
      }
      return { ...cart, lines: cart.lines.map((l) => (l.id === lineId ? { ...l, quantity } : l)) };
    });
  }

  async removeItem(ctx: CallContext, id: string, lineId: string): Promise<CartView> {
    return this.change(ctx, id, [], (cart) => {
      const line = lineOf(cart, lineId);
      return { ...cart, lines: cart.lines.filter((l) => l !== line) };
    });
  }

  /** Kept only if pricing says it applies now; a code already on the cart changes nothing. */
  async addCoupon(ctx: CallContext, id: string, code: string): Promise<CartView> {
    return this.change(ctx, id, [], async (cart, variants) => {
      if (hasCoupon(cart.couponCodes, code)) return cart;
      const next = { ...cart, couponCodes: [...cart.couponCodes, code] };
      const result = await this.pricing.checkCoupon(ctx, code, priceInput(next, variants, this.rates.all));
      if (!result.applied) throw new CouponRejectedError(code, result.reason ?? 'not_applicable', result.detail);
      return next;
    });
  }

  async removeCoupon(ctx: CallContext, id: string, code: string): Promise<CartView> {
    return this.change(ctx, id, [], (cart) => ({ ...cart, couponCodes: withoutCoupon(cart.couponCodes, code) }));
  }

  async setShippingAddress(ctx: CallContext, id: string, address: Parameters<typeof compactAddress>[0]): Promise<CartView> {
    return this.change(ctx, id, [], (cart) => ({ ...cart, shippingAddress: compactAddress(address) }));
  }

  async setShippingMethod(ctx: CallContext, id: string, methodId: string): Promise<CartView> {
    const known = this.rates.known(methodId);
    return this.change(ctx, id, [], (cart) => ({ ...cart, shippingMethodId: known }));
  }

  async shippingMethods(ctx: CallContext, id: string): Promise<ShippingMethodView[]> {
    await this.writer.visible(ctx, id);
    return this.rates.all;
  }

  private async change(ctx: CallContext, id: string, skus: string[], apply: CartChange): Promise<CartView> {
    return this.view((await this.writer.change(ctx, id, skus, apply)).cart);
  }

  private async available(ctx: CallContext, sku: string): Promise<number> {
    const [stock] = await this.inventory.availability(ctx, [sku]);
    return Math.max(0, stock?.available ?? 0);
  }

  private view(cart: CartState): CartView {
    return cartView(cart, this.rates.all);
  }
}

function lineOf(cart: CartState, lineId: string) {
  const line = cart.lines.find((l) => l.id === lineId);
  if (!line) throw new CartLineNotFoundError(lineId);
  return line;
}
