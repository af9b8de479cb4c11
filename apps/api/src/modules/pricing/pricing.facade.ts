import { Injectable } from '@nestjs/common';
import type { CallContext, PriceCartInput, PricingApi, RedeemInput } from '#contracts';
import { PricingService } from './pricing.service.js';
import { RedemptionsService } from './redemptions.service.js';

/** PricingApi for cart and checkout, behind PRICING_API. */
@Injectable()
export class PricingFacade implements PricingApi {
  constructor(
    private readonly pricing: PricingService,
    private readonly redemptions: RedemptionsService,
  ) {}

  priceCart(ctx: CallContext, input: PriceCartInput) {
    return this.pricing.priceCart(ctx, input);
  }

  checkCoupon(ctx: CallContext, code: string, cart: PriceCartInput) {
    return this.pricing.checkCoupon(ctx, code, cart);
  }

  redeem(ctx: CallContext, input: RedeemInput) {
    return this.redemptions.redeem(ctx, input);
  }

  releaseRedemptions(ctx: CallContext, reference: string) {
    return this.redemptions.releaseRedemptions(ctx, reference);
  }
}
