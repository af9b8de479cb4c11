import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CustomerGroupMember, OrderingCustomer } from './customer-facts.entity.js';
import type { CustomerFacts } from './pricing-rules.js';

/** Pricing's own knowledge of customers: group membership and whether they have ordered. */
@Injectable()
export class CustomerFactsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async facts(customerId: string): Promise<CustomerFacts> {
    const [row]: { groups: string[]; hasOrdered: boolean }[] = await this.dataSource.query(
      `SELECT coalesce((SELECT array_agg(group_name ORDER BY group_name) FROM pricing.customer_group_members WHERE customer_id = $1), '{}') AS groups,
              EXISTS (SELECT 1 FROM pricing.ordering_customers WHERE customer_id = $1) AS "hasOrdered"`,
      [customerId],
    );
    return { groups: row.groups, hasOrdered: row.hasOrdered };
  }

  async addMember(customerId: string, group: string): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(CustomerGroupMember).values({ customerId, group }).orIgnore().execute();
  }

  async removeMember(customerId: string, group: string): Promise<boolean> {
    return ((await this.dataSource.manager.delete(CustomerGroupMember, { customerId, group })).affected ?? 0) > 0;
  }

  /** Idempotent: the first order recorded stays. */
  async recordOrder(customerId: string, orderId: string): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(OrderingCustomer).values({ customerId, firstOrderId: orderId }).orIgnore().execute();
  }
}
