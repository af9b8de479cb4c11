import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Address, CartStatus } from '#contracts';
import type { PricingSnapshot, StoredLine } from './cart.model.js';

/**
 * One cart per row, lines and priced totals as jsonb: a cart is always read and written whole, so a
 * read is one primary-key lookup and a change one version-checked UPDATE, whatever the line count.
 */
@Entity({ schema: 'cart', name: 'carts' })
@Index('UQ_cart_carts_open_customer', ['customerId'], { unique: true, where: `status = 'open' AND customer_id IS NOT NULL` })
@Index('UQ_cart_carts_open_token', ['tokenHash'], { unique: true, where: `status = 'open' AND token_hash IS NOT NULL` })
@Check('CHK_cart_carts_status', `status IN ('open', 'converted', 'merged')`)
export class CartRow {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  /** sha256 (hex) of a guest cart's token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'char', length: 64, nullable: true })
  tokenHash!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: CartStatus;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  lines!: StoredLine[];

  @Column({ name: 'coupon_codes', type: 'jsonb', default: () => "'[]'" })
  couponCodes!: string[];

  @Column({ name: 'shipping_address', type: 'jsonb', nullable: true })
  shippingAddress!: Address | null;

  @Column({ name: 'shipping_method_id', type: 'varchar', length: 32, nullable: true })
  shippingMethodId!: string | null;

  @Column({ type: 'jsonb' })
  pricing!: PricingSnapshot;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
