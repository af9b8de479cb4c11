import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CUSTOMERS_API } from '#contracts';
import { AddressesController } from './addresses.controller.js';
import { AddressesService } from './addresses.service.js';
import { CustomerAddress } from './customer-address.entity.js';
import { Customer } from './customer.entity.js';
import { CustomersAdminController } from './customers-admin.controller.js';
import { CustomersFacade } from './customers.facade.js';
import { CustomersRepository } from './customers.repository.js';
import { CustomersService } from './customers.service.js';
import { AccountCreatedListener } from './listeners/account-created.listener.js';
import { ProfileController } from './profile.controller.js';
import { RegistrationController } from './registration.controller.js';

export interface CustomersModuleDeps {
  /**
   * A module exporting IDENTITY_API. The app passes it in: a context may not import another
   * context's folder, and the app decides whether identity is in-process or a transport client.
   */
  identity: Type | DynamicModule;
}

/** Profiles and address books. Exports only CUSTOMERS_API. */
@Module({})
export class CustomersModule {
  static register({ identity }: CustomersModuleDeps): DynamicModule {
    return {
      module: CustomersModule,
      imports: [TypeOrmModule.forFeature([Customer, CustomerAddress]), identity],
      controllers: [RegistrationController, ProfileController, AddressesController, CustomersAdminController],
      providers: [
        CustomersRepository,
        CustomersService,
        AddressesService,
        AccountCreatedListener,
        { provide: CUSTOMERS_API, useClass: CustomersFacade },
      ],
      exports: [CUSTOMERS_API],
    };
  }
}
