import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Address, OrderStatus } from '#contracts';

export interface ShippingMethodSnapshot {
  id: string;
  name: string;
  amount: number;
}

@Entity({ schema: 'orders', name: 'orders' })
@Index('UQ_orders_orders_number', ['number'], { unique: true })
@Index('UQ_orders_orders_checkout_key', ['checkoutKey'], { unique: true })
// A cart becomes one order: a second checkout of it (another key, a double click) cannot charge again.
@Index('UQ_orders_orders_live_cart', ['cartId'], { unique: true, where: `status <> 'cancelled'` })
@Index('IDX_orders_orders_customer_placed', ['customerId', 'placedAt'])
@Index('IDX_orders_orders_email', ['email'])
@Index('IDX_orders_orders_status_placed', ['status', 'placedAt'])
@Index('IDX_orders_orders_placed', ['placedAt'])
@Index('IDX_orders_orders_unsettled', ['updatedAt'], { where: 'settled_at IS NULL' })
@Check('CHK_orders_orders_status', `status IN ('pending_payment', 'paid', 'fulfilling', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded')`)
@Check('CHK_orders_orders_totals', 'subtotal >= 0 AND discount >= 0 AND shipping >= 0 AND tax >= 0 AND total >= 0')
export class Order {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  number!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: OrderStatus;

  /** sha256 of the checkout's idempotency scope and key: a retried checkout finds its order here. */
  @Column({ name: 'checkout_key', type: 'char', length: 64, nullable: true })
  checkoutKey!: string | null;

  @Column({ name: 'cart_id', type: 'uuid' })
  cartId!: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'tax_included', type: 'boolean' })
  taxIncluded!: boolean;

  @Column({ type: 'integer' })
  subtotal!: number;

  @Column({ type: 'integer' })
  discount!: number;

  @Column({ type: 'integer' })
  shipping!: number;

  @Column({ type: 'integer' })
  tax!: number;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ name: 'shipping_address', type: 'jsonb' })
  shippingAddress!: Address;

  @Column({ name: 'billing_address', type: 'jsonb' })
  billingAddress!: Address;

  @Column({ name: 'shipping_method', type: 'jsonb' })
  shippingMethod!: ShippingMethodSnapshot;

  @Column({ name: 'promotion_ids', type: 'uuid', array: true, default: () => `'{}'` })
  promotionIds!: string[];

  @Column({ name: 'reservation_id', type: 'uuid', nullable: true })
  reservationId!: string | null;

  /** When the side effects of the current status (stock committed or released, cart converted) were done. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /** Paid, but its stock could not be held again after the reservation expired: a person must look. */
  @Column({ name: 'needs_attention', type: 'boolean', default: false })
  needsAttention!: boolean;

  @CreateDateColumn({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ schema: 'orders', name: 'order_lines' })
@Check('CHK_orders_order_lines_quantity', 'quantity > 0')
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @PrimaryColumn({ type: 'smallint' })
  position!: number;

  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ name: 'product_name', type: 'varchar', length: 300 })
  productName!: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  options!: Record<string, string>;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'integer' })
  unitPrice!: number;

  @Column({ type: 'integer' })
  subtotal!: number;

  @Column({ type: 'integer' })
  discount!: number;

  @Column({ type: 'integer' })
  tax!: number;

  @Column({ type: 'integer' })
  total!: number;
}

@Entity({ schema: 'orders', name: 'order_transitions' })
@Index('IDX_orders_order_transitions_order', ['orderId', 'id'])
export class OrderTransition {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  /** null for the order's creation. */
  @Column({ name: 'from_status', type: 'varchar', length: 24, nullable: true })
  fromStatus!: OrderStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 24 })
  toStatus!: OrderStatus;

  /** The account that made the change, or 'system'. */
  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

@Entity({ schema: 'orders', name: 'order_notes' })
@Index('IDX_orders_order_notes_order', ['orderId', 'at'])
export class OrderNote {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'varchar', length: 64 })
  author!: string;

  @Column({ type: 'varchar', length: 2000 })
  text!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
