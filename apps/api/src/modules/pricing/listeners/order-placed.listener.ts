import { Injectable } from '@nestjs/common';
import type { OrderPlacedEvent } from '#contracts';
import { OnDomainEvent } from '#platform';
import { CustomerFactsRepository } from '../customer-facts.repository.js';
import { PricingReads } from '../pricing-reads.js';

/** A customer with a placed order is no longer on a first order. Idempotent; guests are not tracked. */
@Injectable()
export class OrderPlacedListener {
  constructor(
    private readonly customers: CustomerFactsRepository,
    private readonly reads: PricingReads,
  ) {}

  // A guest's order is no job at all: the relay adds none when this handler would skip it.
  @OnDomainEvent('orders.order-placed', { when: (event) => Boolean(event.customerId) })
  async onOrderPlaced(event: OrderPlacedEvent): Promise<void> {
    if (!event.customerId) return;
    await this.customers.recordOrder(event.customerId, event.orderId);
    await this.reads.customerChangedOrFail(event.customerId);
  }
}
