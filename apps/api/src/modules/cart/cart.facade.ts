import { Injectable } from '@nestjs/common';
import type { CallContext, CartApi, PrepareCheckoutInput } from '#contracts';
import { CartCheckoutService } from './cart-checkout.service.js';

/** CartApi for checkout, behind CART_API. */
@Injectable()
export class CartFacade implements CartApi {
  constructor(private readonly checkout: CartCheckoutService) {}

  prepareCheckout(ctx: CallContext, input: PrepareCheckoutInput) {
    return this.checkout.prepare(ctx, input);
  }

  markConverted(ctx: CallContext, input: { cartId: string; orderId: string }) {
    return this.checkout.markConverted(ctx, input);
  }
}
