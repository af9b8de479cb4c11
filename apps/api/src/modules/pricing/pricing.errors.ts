import type { CouponRejection } from '#contracts';
import { DomainError } from '#platform';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A code the shopper entered does nothing on this cart; `reason` says why. */
export class CouponRejectedError extends DomainError {
  constructor(coupon: string, readonly reason: CouponRejection, detail: string) {
    super('PRICING.COUPON_REJECTED', 'unprocessable', detail, { coupon, reason });
  }
}

/** Redeem could not take a use: the promotion is used up, or this customer used it up. */
export class PromotionExhaustedError extends DomainError {
  constructor(readonly promotionId: string, readonly reason: 'exhausted' | 'customer_limit_reached' | 'customer_only', name: string) {
    const why = reason === 'exhausted' ? 'has no uses left' : reason === 'customer_limit_reached' ? 'has been used as often as this customer may' : 'needs a customer or an email to count uses';
    super('PRICING.PROMOTION_EXHAUSTED', 'unprocessable', `Promotion "${name}" ${why}`, { promotionId, reason });
  }
}

/** Redeem found the promotion switched off or outside its window: the cart was priced before that changed. */
export class PromotionEndedError extends DomainError {
  constructor(readonly promotionId: string, readonly reason: 'inactive' | 'not_started' | 'expired', name: string) {
    const why = reason === 'inactive' ? 'has been switched off' : reason === 'not_started' ? 'has not started yet' : 'has ended';
    super('PRICING.PROMOTION_ENDED', 'unprocessable', `Promotion "${name}" ${why}; the cart's prices changed`, { promotionId, reason });
  }
}

export class PromotionNotFoundError extends DomainError {
  constructor(id: string) {
    super('PRICING.PROMOTION_NOT_FOUND', 'not_found', `No promotion ${id}`, { promotionId: id });
  }
}

export class TaxRateNotFoundError extends DomainError {
  constructor(id: string) {
    super('PRICING.TAX_RATE_NOT_FOUND', 'not_found', `No tax rate ${id}`);
  }
}

export class CouponCodeTakenError extends DomainError {
  constructor(code: string) {
    super('PRICING.CODE_TAKEN', 'conflict', `Another promotion already has the code ${code}`, { coupon: code });
  }
}

export class TaxRateExistsError extends DomainError {
  constructor(countryCode: string, region: string | null) {
    super('PRICING.TAX_RATE_EXISTS', 'conflict', `${countryCode}${region ? `/${region}` : ''} already has a tax rate`, { countryCode, region });
  }
}

/** A promotion whose fields do not fit together (after a PATCH, too); names every field, like a validation 400. */
export class InvalidPromotionError extends DomainError {
  constructor(errors: FieldProblem[]) {
    super('PRICING.INVALID_PROMOTION', 'bad_request', errors.map((e) => e.message).join('; '), { errors });
  }
}

/** Contract input (plain JSON, maybe over a transport) that pricing cannot price. */
export class InvalidPricingInputError extends DomainError {
  constructor(detail: string) {
    super('PRICING.INVALID_INPUT', 'bad_request', detail);
  }
}
