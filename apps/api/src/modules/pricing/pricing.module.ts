import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PRICING_API } from '#contracts';
import { Channels } from './channels.js';
import { CustomerGroupMember, OrderingCustomer } from './customer-facts.entity.js';
import { CustomerFactsRepository } from './customer-facts.repository.js';
import { CustomerGroupsAdminController } from './customer-groups-admin.controller.js';
import { CustomerGroupsService } from './customer-groups.service.js';
import { OrderPlacedListener } from './listeners/order-placed.listener.js';
import { PricingReads } from './pricing-reads.js';
import { PricingFacade } from './pricing.facade.js';
import { PricingService } from './pricing.service.js';
import { Promotion } from './promotion.entity.js';
import { PromotionsAdminController } from './promotions-admin.controller.js';
import { PromotionsRepository } from './promotions.repository.js';
import { PromotionsService } from './promotions.service.js';
import { CustomerUses, Redemption } from './redemption.entity.js';
import { RedemptionsService } from './redemptions.service.js';
import { TaxRate } from './tax-rate.entity.js';
import { TaxRatesAdminController } from './tax-rates-admin.controller.js';
import { TaxRatesRepository } from './tax-rates.repository.js';
import { TaxRatesService } from './tax-rates.service.js';

/** Promotions, coupons, tax rates and cart totals. Exports only PRICING_API. */
@Module({
  imports: [TypeOrmModule.forFeature([Promotion, Redemption, CustomerUses, TaxRate, CustomerGroupMember, OrderingCustomer])],
  controllers: [PromotionsAdminController, TaxRatesAdminController, CustomerGroupsAdminController],
  providers: [
    PromotionsRepository,
    TaxRatesRepository,
    CustomerFactsRepository,
    PricingReads,
    Channels,
    PricingService,
    RedemptionsService,
    PromotionsService,
    TaxRatesService,
    CustomerGroupsService,
    OrderPlacedListener,
    { provide: PRICING_API, useClass: PricingFacade },
  ],
  exports: [PRICING_API],
})
export class PricingModule {}
