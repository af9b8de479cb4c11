import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One use of a promotion by an order (the reference); released uses are kept, marked. */
@Entity({ schema: 'pricing', name: 'redemptions' })
@Index('UQ_pricing_redemptions_held', ['promotionId', 'reference'], { unique: true, where: 'released_at IS NULL' })
@Index('IDX_pricing_redemptions_reference', ['reference'])
export class Redemption {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'promotion_id', type: 'uuid' })
  promotionId!: string;

  @Column({ type: 'varchar', length: 120 })
  reference!: string;

  /** `customer:<id>` or `email:<sha256 of the lower-cased email>`; null when neither was known. */
  @Column({ name: 'customer_key', type: 'varchar', length: 80, nullable: true })
  customerKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;
}

/** Held uses per promotion and customer key; the conditional upsert in redeem keeps it within the per-customer limit. */
@Entity({ schema: 'pricing', name: 'customer_uses' })
@Check('CHK_pricing_customer_uses_uses', 'uses >= 0')
export class CustomerUses {
  @PrimaryColumn({ name: 'promotion_id', type: 'uuid' })
  promotionId!: string;

  @PrimaryColumn({ name: 'customer_key', type: 'varchar', length: 80 })
  customerKey!: string;

  @Column({ type: 'integer', default: 0 })
  uses!: number;
}
