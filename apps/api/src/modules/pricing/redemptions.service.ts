import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext, RedeemInput } from '#contracts';
import { isUuid } from '#platform';
import { PricingReads } from './pricing-reads.js';
import { InvalidPricingInputError, PromotionEndedError, PromotionExhaustedError, PromotionNotFoundError } from './pricing.errors.js';
import { PromotionsRepository } from './promotions.repository.js';


/** Whose uses a per-customer limit counts: the customer's id, else the guest's email, hashed (never stored plain). */
export function customerKey(customerId: string | null, email: string | null): string | null {
  if (customerId) return `customer:${customerId}`;
  if (email && email.trim()) return `email:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  return null;
}

/** Takes and gives back promotion uses for orders. */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly promotions: PromotionsRepository,
    private readonly reads: PricingReads,
  ) {}

  async redeem(_ctx: CallContext, input: RedeemInput): Promise<void> {
    checkReference(input?.reference);
    if (!Array.isArray(input.promotionIds)) throw new InvalidPricingInputError('promotionIds must be a list');
    if (input.promotionIds.length === 0) return;
    const unknown = input.promotionIds.find((id) => !isUuid(id));
    if (unknown !== undefined) throw new PromotionNotFoundError(String(unknown));
    const outcome = await this.promotions.redeem(input.reference, customerKey(input.customerId, input.email), input.promotionIds);
    if (outcome.outcome === 'refused') {
      const { reason } = outcome;
      if (reason === 'not_found') throw new PromotionNotFoundError(outcome.promotionId);
      if (reason === 'inactive' || reason === 'not_started' || reason === 'expired') throw new PromotionEndedError(outcome.promotionId, reason, outcome.name);
      throw new PromotionExhaustedError(outcome.promotionId, reason, outcome.name);
    }
    // A promotion now used up must stop showing in carts; one merely used once more need not.
    if (outcome.usedUp.length > 0) await this.reads.promotionsChanged();
  }

  async releaseRedemptions(_ctx: CallContext, reference: string): Promise<void> {
    checkReference(reference);
    const { freed } = await this.promotions.release(reference);
    if (freed.length > 0) await this.reads.promotionsChanged();
  }
}

function checkReference(reference: unknown): asserts reference is string {
  if (typeof reference !== 'string' || reference.length < 1 || reference.length > 120) throw new InvalidPricingInputError('reference must be 1 to 120 characters');
}
