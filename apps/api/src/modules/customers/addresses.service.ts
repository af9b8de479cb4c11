import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext, SavedAddress } from '#contracts';
import { toSavedAddress } from './customer.view.js';
import { AddressLimitReachedError, AddressNotFoundError, CustomerNotFoundError } from './customers.errors.js';
import { type AddressChange, CustomersRepository } from './customers.repository.js';
import { callerId } from './customers.service.js';
import type { CreateAddressDto, UpdateAddressDto } from './dto/address.dto.js';

export const ADDRESS_BOOK_LIMIT = 20;

/** The caller's address book. Another customer's address answers 404, like a missing one. */
@Injectable()
export class AddressesService {
  constructor(private readonly customers: CustomersRepository) {}

  async list(ctx: CallContext): Promise<SavedAddress[]> {
    return (await this.customers.listAddresses(callerId(ctx))).map(toSavedAddress);
  }

  async add(ctx: CallContext, dto: CreateAddressDto): Promise<SavedAddress> {
    const customerId = callerId(ctx);
    const { isDefaultShipping = false, isDefaultBilling = false, ...address } = dto;
    const fields = { company: null, line2: null, region: null, phone: null, ...address, isDefaultShipping, isDefaultBilling };
    const result = await this.customers.addAddress(customerId, randomUUID(), fields, ADDRESS_BOOK_LIMIT);
    if (result === 'no-customer') throw new CustomerNotFoundError(customerId);
    if (result === 'full') throw new AddressLimitReachedError(ADDRESS_BOOK_LIMIT);
    return toSavedAddress(result);
  }

  async update(ctx: CallContext, id: string, dto: UpdateAddressDto): Promise<SavedAddress> {
    // Only the fields the body names; undefined would otherwise reach the UPDATE.
    const change = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as AddressChange;
    const updated = await this.customers.updateAddress(callerId(ctx), id, change);
    if (!updated) throw new AddressNotFoundError(id);
    return toSavedAddress(updated);
  }

  async remove(ctx: CallContext, id: string): Promise<void> {
    if (!(await this.customers.deleteAddress(callerId(ctx), id))) throw new AddressNotFoundError(id);
  }

  async get(_ctx: CallContext, customerId: string, id: string): Promise<SavedAddress> {
    const address = await this.customers.findAddress(customerId, id);
    if (!address) throw new AddressNotFoundError(id);
    return toSavedAddress(address);
  }

  async defaults(_ctx: CallContext, customerId: string): Promise<{ shipping: SavedAddress | null; billing: SavedAddress | null }> {
    const rows = await this.customers.defaultAddresses(customerId);
    const pick = (role: 'isDefaultShipping' | 'isDefaultBilling') => {
      const row = rows.find((r) => r[role]);
      return row ? toSavedAddress(row) : null;
    };
    return { shipping: pick('isDefaultShipping'), billing: pick('isDefaultBilling') };
  }
}
