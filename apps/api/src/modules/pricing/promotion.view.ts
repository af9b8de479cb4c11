import type { PromotionRule, TaxRateRule } from './pricing-rules.js';
import type { Promotion } from './promotion.entity.js';
import type { TaxRate } from './tax-rate.entity.js';

export interface PromotionView extends PromotionRule {
  updatedAt: string;
}

export function toRule(p: Promotion): PromotionRule {
  return {
    id: p.id,
    name: p.name,
    code: p.code,
    kind: p.kind,
    percentage: p.percentage,
    amount: p.amount,
    currency: p.currency,
    targets: { skus: p.targetSkus, categoryIds: p.targetCategoryIds, brandIds: p.targetBrandIds },
    minSubtotal: p.minSubtotal,
    customerGroup: p.customerGroup,
    firstOrderOnly: p.firstOrderOnly,
    startsAt: p.startsAt?.toISOString() ?? null,
    endsAt: p.endsAt?.toISOString() ?? null,
    usageLimit: p.usageLimit,
    perCustomerLimit: p.perCustomerLimit,
    uses: p.uses,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
  };
}

export const toPromotionView = (p: Promotion): PromotionView => ({ ...toRule(p), updatedAt: p.updatedAt.toISOString() });

export const toTaxRateRule = ({ id, countryCode, region, basisPoints, name }: TaxRate): TaxRateRule => ({ id, countryCode, region, basisPoints, name });
