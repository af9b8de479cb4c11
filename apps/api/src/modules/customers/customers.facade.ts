import { Injectable } from '@nestjs/common';
import type { CallContext, CustomersApi } from '#contracts';
import { AddressesService } from './addresses.service.js';
import { CustomersService } from './customers.service.js';

/** CustomersApi for other contexts; in-process today, behind CUSTOMERS_API so a transport can replace it. */
@Injectable()
export class CustomersFacade implements CustomersApi {
  constructor(
    private readonly customers: CustomersService,
    private readonly addresses: AddressesService,
  ) {}

  getCustomer(ctx: CallContext, customerId: string) {
    return this.customers.get(ctx, customerId);
  }

  getAddress(ctx: CallContext, customerId: string, addressId: string) {
    return this.addresses.get(ctx, customerId, addressId);
  }

  getDefaultAddresses(ctx: CallContext, customerId: string) {
    return this.addresses.defaults(ctx, customerId);
  }
}
