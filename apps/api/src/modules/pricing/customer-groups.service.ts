import { Injectable } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { CustomerFactsRepository } from './customer-facts.repository.js';
import { PricingReads } from './pricing-reads.js';

/** Group membership (pricing's own) and first orders; each change drops the customer's cached facts. */
@Injectable()
export class CustomerGroupsService {
  constructor(
    private readonly customers: CustomerFactsRepository,
    private readonly reads: PricingReads,
  ) {}

  async add(_ctx: CallContext, group: string, customerId: string): Promise<void> {
    await this.customers.addMember(customerId, group);
    await this.reads.customerChanged(customerId);
  }

  async remove(_ctx: CallContext, group: string, customerId: string): Promise<void> {
    await this.customers.removeMember(customerId, group);
    await this.reads.customerChanged(customerId);
  }

  facts(_ctx: CallContext, customerId: string) {
    return this.customers.facts(customerId);
  }
}
