import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CART_API } from '#contracts';
import { CartCheckoutService } from './cart-checkout.service.js';
import { CartSessionsService } from './cart-sessions.service.js';
import { CartWriter } from './cart-writer.js';
import { CartController } from './cart.controller.js';
import { CartRow } from './cart.entity.js';
import { CartFacade } from './cart.facade.js';
import { CartService } from './cart.service.js';
import { CartsRepository } from './carts.repository.js';
import { ShippingRates } from './shipping-rates.js';

export interface CartModuleDeps {
  /** Modules exporting CATALOG_API, INVENTORY_API and PRICING_API (in-process or transport clients). */
  catalog: Type | DynamicModule;
  inventory: Type | DynamicModule;
  pricing: Type | DynamicModule;
}

const registered: { deps: CartModuleDeps; module: DynamicModule }[] = [];

/** Guest and customer carts, priced on every change, merged on login. Exports only CART_API. */
@Module({})
export class CartModule {
  /**
   * The same deps give the same module object: Nest tells dynamic modules apart by reference, and a
   * second instance (app.module and orders both asking for CART_API) would mount the routes twice.
   */
  static register(deps: CartModuleDeps): DynamicModule {
    const known = registered.find((r) => r.deps.catalog === deps.catalog && r.deps.inventory === deps.inventory && r.deps.pricing === deps.pricing);
    if (known) return known.module;
    const module: DynamicModule = {
      module: CartModule,
      imports: [deps.catalog, deps.inventory, deps.pricing, TypeOrmModule.forFeature([CartRow])],
      controllers: [CartController],
      providers: [CartsRepository, ShippingRates, CartWriter, CartService, CartSessionsService, CartCheckoutService, { provide: CART_API, useClass: CartFacade }],
      exports: [CART_API],
    };
    registered.push({ deps, module });
    return module;
  }
}
