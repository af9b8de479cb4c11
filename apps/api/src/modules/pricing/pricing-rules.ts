import type { AppliedDiscount } from '#contracts';

export type PromotionKind = AppliedDiscount['kind'];
export const PROMOTION_KINDS: readonly PromotionKind[] = ['order_percentage', 'order_fixed', 'line_percentage', 'line_fixed', 'free_shipping'];
export const PERCENTAGE_KINDS: readonly PromotionKind[] = ['order_percentage', 'line_percentage'];
export const FIXED_KINDS: readonly PromotionKind[] = ['order_fixed', 'line_fixed'];
export const LINE_KINDS: readonly PromotionKind[] = ['line_percentage', 'line_fixed'];

export interface PromotionTargets {
  skus: string[];
  categoryIds: string[];
  brandIds: string[];
}

/** A promotion as the calculator and the cache see it: plain JSON, instants as ISO strings. */
export interface PromotionRule {
  id: string;
  name: string;
  /** Upper-case; null for an automatic promotion. */
  code: string | null;
  kind: PromotionKind;
  /** Whole percent, 1 to 100, for the percentage kinds. */
  percentage: number | null;
  /** Minor units: off the order (order_fixed) or off each matching unit (line_fixed). */
  amount: number | null;
  /** Set for fixed amounts and minimum subtotals; the promotion then applies to carts in it only. */
  currency: string | null;
  targets: PromotionTargets;
  minSubtotal: number | null;
  customerGroup: string | null;
  firstOrderOnly: boolean;
  startsAt: string | null;
  endsAt: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  uses: number;
  active: boolean;
  createdAt: string;
}

export interface TaxRateRule {
  id: string;
  countryCode: string;
  region: string | null;
  basisPoints: number;
  name: string;
}

/** What pricing knows of a customer (nothing for a guest). */
export interface CustomerFacts {
  groups: string[];
  hasOrdered: boolean;
}

export const normaliseCode = (code: string) => code.trim().toUpperCase();

/** The rate for a destination: a rate of its region wins over the country's. */
export function rateFor(rates: readonly TaxRateRule[], destination: { countryCode: string; region?: string } | null): TaxRateRule | null {
  if (!destination) return null;
  const country = destination.countryCode.toUpperCase();
  const region = destination.region?.trim().toUpperCase() || null;
  return (
    (region && rates.find((r) => r.countryCode === country && r.region === region)) ||
    rates.find((r) => r.countryCode === country && r.region === null) ||
    null
  );
}
