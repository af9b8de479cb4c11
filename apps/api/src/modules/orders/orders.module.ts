import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ORDERS_API } from '#contracts';
import { CheckoutPayment } from './checkout/checkout-payment.js';
import { CheckoutController } from './checkout/checkout.controller.js';
import { CheckoutService } from './checkout/checkout.service.js';
import { PaymentsInFlight } from './checkout/payments-in-flight.js';
import { OrderExpiry } from './jobs/order-expiry.js';
import { OrderExpiryProcessor } from './jobs/order-expiry.processor.js';
import { ORDER_EXPIRY_QUEUE } from './jobs/order-expiry.queue.js';
import { OrderExpiryScheduler } from './jobs/order-expiry.scheduler.js';
import { LegacyOrderImportController } from './legacy-import/legacy-order-import.controller.js';
import { LegacyOrderImportRepository } from './legacy-import/legacy-order-import.repository.js';
import { LegacyOrderImportService } from './legacy-import/legacy-order-import.service.js';
import { PaymentEventsListener } from './listeners/payment-events.listener.js';
import { Order, OrderLine, OrderNote, OrderTransition } from './order.entity.js';
import { OrderSettlement } from './order-settlement.js';
import { OrdersAdminController } from './orders-admin.controller.js';
import { OrdersController } from './orders.controller.js';
import { OrdersFacade } from './orders.facade.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';

type Dependency = Type | DynamicModule;

export interface OrdersModuleDeps {
  /** Modules exporting CART_API, PRICING_API, INVENTORY_API, PAYMENTS_API and IDENTITY_API (in-process or transport clients). */
  cart: Dependency;
  pricing: Dependency;
  inventory: Dependency;
  payments: Dependency;
  identity: Dependency;
}

/** Orders, their life cycle and POST /checkout. Exports only ORDERS_API. */
@Module({})
export class OrdersModule {
  static register({ cart, pricing, inventory, payments, identity }: OrdersModuleDeps): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        cart, pricing, inventory, payments, identity,
        TypeOrmModule.forFeature([Order, OrderLine, OrderTransition, OrderNote]),
        BullModule.registerQueue({ name: ORDER_EXPIRY_QUEUE }),
      ],
      controllers: [CheckoutController, OrdersController, OrdersAdminController, LegacyOrderImportController],
      providers: [
        OrdersRepository,
        OrderSettlement,
        OrderExpiryScheduler,
        OrderExpiry,
        OrderExpiryProcessor,
        PaymentsInFlight,
        CheckoutPayment,
        CheckoutService,
        OrdersService,
        PaymentEventsListener,
        LegacyOrderImportRepository,
        LegacyOrderImportService,
        { provide: ORDERS_API, useClass: OrdersFacade },
      ],
      exports: [ORDERS_API],
    };
  }
}
