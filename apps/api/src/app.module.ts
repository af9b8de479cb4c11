import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AuthModule, BackendPlatformModule, CorePlatformModule, type PlatformOptions } from '#platform';
import { CartModule } from './modules/cart/cart.module.js';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { CustomersModule } from './modules/customers/customers.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { PricingModule } from './modules/pricing/pricing.module.js';
import { InventoryModule } from './modules/inventory/inventory.module.js';
import { OrdersModule } from './modules/orders/orders.module.js';
import { SearchModule } from './modules/search/search.module.js';

export interface ApiOptions extends PlatformOptions {
  /** Extra modules, for tests that need a route the API does not have yet. */
  extraImports?: (Type | DynamicModule)[];
}

/** The platform plus the bounded contexts; each context arrives as its own module under modules/. */
@Module({})
export class AppModule {
  static register(options: ApiOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CorePlatformModule.forRoot(options),
        BackendPlatformModule,
        AuthModule,
        IdentityModule,
        CatalogModule,
        CustomersModule.register({ identity: IdentityModule }),
        SearchModule.register({ catalog: CatalogModule, engine: options.env.SEARCH_ENGINE }),
        PaymentsModule,
        InventoryModule,
        PricingModule,
        CartModule.register({ catalog: CatalogModule, inventory: InventoryModule, pricing: PricingModule }),
        OrdersModule.register({ cart: CartModule.register({ catalog: CatalogModule, inventory: InventoryModule, pricing: PricingModule }), pricing: PricingModule, inventory: InventoryModule, payments: PaymentsModule, identity: IdentityModule }),
        ...(options.extraImports ?? []),
      ],
    };
  }
}
