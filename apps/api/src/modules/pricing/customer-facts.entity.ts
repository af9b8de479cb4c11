import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Pricing owns customer groups: membership decides group-only promotions. */
@Entity({ schema: 'pricing', name: 'customer_group_members' })
export class CustomerGroupMember {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @PrimaryColumn({ name: 'group_name', type: 'varchar', length: 64 })
  group!: string;

  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' })
  addedAt!: Date;
}

/** Customers who have placed an order (from orders.order-placed); the rest are on their first order. */
@Entity({ schema: 'pricing', name: 'ordering_customers' })
export class OrderingCustomer {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'first_order_id', type: 'uuid' })
  firstOrderId!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
