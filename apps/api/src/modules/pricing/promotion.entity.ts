import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PromotionKind } from './pricing-rules.js';

@Entity({ schema: 'pricing', name: 'promotions' })
@Index('UQ_pricing_promotions_code', ['code'], { unique: true, where: 'code IS NOT NULL' })
@Index('IDX_pricing_promotions_automatic', ['createdAt'], { where: 'code IS NULL AND active' })
@Check('CHK_pricing_promotions_uses', 'uses >= 0 AND (usage_limit IS NULL OR uses <= usage_limit)')
@Check('CHK_pricing_promotions_percentage', 'percentage IS NULL OR percentage BETWEEN 1 AND 100')
@Check('CHK_pricing_promotions_amount', 'amount IS NULL OR amount > 0')
@Check('CHK_pricing_promotions_window', 'starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at')
export class Promotion {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  /** Upper-case coupon code; null for an automatic promotion. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ type: 'varchar', length: 24 })
  kind!: PromotionKind;

  @Column({ type: 'integer', nullable: true })
  percentage!: number | null;

  @Column({ type: 'integer', nullable: true })
  amount!: number | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'target_skus', type: 'varchar', length: 64, array: true, default: () => "'{}'" })
  targetSkus!: string[];

  @Column({ name: 'target_category_ids', type: 'uuid', array: true, default: () => "'{}'" })
  targetCategoryIds!: string[];

  @Column({ name: 'target_brand_ids', type: 'uuid', array: true, default: () => "'{}'" })
  targetBrandIds!: string[];

  @Column({ name: 'min_subtotal', type: 'integer', nullable: true })
  minSubtotal!: number | null;

  @Column({ name: 'customer_group', type: 'varchar', length: 64, nullable: true })
  customerGroup!: string | null;

  @Column({ name: 'first_order_only', type: 'boolean', default: false })
  firstOrderOnly!: boolean;

  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'usage_limit', type: 'integer', nullable: true })
  usageLimit!: number | null;

  @Column({ name: 'per_customer_limit', type: 'integer', nullable: true })
  perCustomerLimit!: number | null;

  /** Uses taken by redemptions not released; the conditional UPDATE in redeem keeps it within usage_limit. */
  @Column({ type: 'integer', default: 0 })
  uses!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
