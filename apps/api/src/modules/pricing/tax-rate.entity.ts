import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A tax rate for a country (region null) or one of its regions; the region's rate wins. */
@Entity({ schema: 'pricing', name: 'tax_rates' })
@Index('UQ_pricing_tax_rates_country', ['countryCode'], { unique: true, where: 'region IS NULL' })
@Index('UQ_pricing_tax_rates_region', ['countryCode', 'region'], { unique: true, where: 'region IS NOT NULL' })
@Check('CHK_pricing_tax_rates_basis_points', 'basis_points BETWEEN 0 AND 10000')
export class TaxRate {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'country_code', type: 'char', length: 2 })
  countryCode!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  region!: string | null;

  @Column({ name: 'basis_points', type: 'integer' })
  basisPoints!: number;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
