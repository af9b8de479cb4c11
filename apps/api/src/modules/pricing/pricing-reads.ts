import { Injectable, Logger } from '@nestjs/common';
import { cacheKey, ReadCache } from '#platform';
import { CustomerFactsRepository } from './customer-facts.repository.js';
import type { CustomerFacts, PromotionRule, TaxRateRule } from './pricing-rules.js';
import { toRule, toTaxRateRule } from './promotion.view.js';
import { PromotionsRepository } from './promotions.repository.js';
import { TaxRatesRepository } from './tax-rates.repository.js';

/** Cache tags: any promotion write (or a promotion used up or freed); any tax rate write; one customer's facts. */
export const PROMOTION_READS = 'pricing:promotions';
export const TAX_RATE_READS = 'pricing:tax-rates';
const customerTag = (customerId: string) => `pricing:customer:${customerId}`;

/**
 * What priceCart reads, through the ReadCache: pricing a cart normally costs no SQL. Every write
 * invalidates the tag it changes; redeem is the authority on uses, whatever a cached view says.
 */
@Injectable()
export class PricingReads {
  private readonly logger = new Logger('PricingReads');

  constructor(
    private readonly cache: ReadCache,
    private readonly promotions: PromotionsRepository,
    private readonly taxRates: TaxRatesRepository,
    private readonly customers: CustomerFactsRepository,
  ) {}

  automatic(): Promise<PromotionRule[]> {
    return this.cache.get('pricing:automatic', [PROMOTION_READS], async () => (await this.promotions.activeAutomatic()).map(toRule));
  }

  /** null (cached too) for a code no promotion has. */
  coupon(code: string): Promise<PromotionRule | null> {
    return this.cache.get(cacheKey('pricing:coupon', { code }), [PROMOTION_READS], async () => {
      const promotion = await this.promotions.findByCode(code);
      return promotion ? toRule(promotion) : null;
    });
  }

  rates(): Promise<TaxRateRule[]> {
    return this.cache.get('pricing:tax-rates', [TAX_RATE_READS], async () => (await this.taxRates.all()).map(toTaxRateRule));
  }

  customer(customerId: string): Promise<CustomerFacts> {
    return this.cache.get(cacheKey('pricing:customer', { customerId }), [customerTag(customerId)], () => this.customers.facts(customerId));
  }

  /** After a commit; a Redis failure leaves cached reads stale up to CACHE_TTL_MS, and is logged. */
  promotionsChanged(): Promise<void> {
    return this.invalidate(PROMOTION_READS);
  }

  taxRatesChanged(): Promise<void> {
    return this.invalidate(TAX_RATE_READS);
  }

  customerChanged(customerId: string): Promise<void> {
    return this.invalidate(customerTag(customerId));
  }

  /** For listeners: rejects when Redis is away, so the outbox retries the event. */
  customerChangedOrFail(customerId: string): Promise<void> {
    return this.cache.invalidate(customerTag(customerId));
  }

  private async invalidate(tag: string): Promise<void> {
    await this.cache.invalidate(tag).catch((error: unknown) => this.logger.warn(`invalidating ${tag} failed: ${String(error)}`));
  }
}
