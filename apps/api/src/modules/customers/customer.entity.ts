import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CustomerView } from '#contracts';

export type CustomerStatus = CustomerView['status'];

/** A customer's profile; its id is the identity account's id (no foreign key: another schema). */
@Entity({ schema: 'customers', name: 'customers' })
// pg_trgm GIN on email and name for the admin search (ILIKE '%q%'); TypeORM cannot declare an
// operator class, so the migration creates it and schema sync leaves it alone.
@Index('IDX_customers_customers_search_trgm', { synchronize: false })
export class Customer {
  @PrimaryColumn('uuid')
  id!: string;

  /** A copy of the account's normalised email, for search and display. */
  @Index('UQ_customers_customers_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** E.164. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ name: 'marketing_consent', type: 'boolean', default: false })
  marketingConsent!: boolean;

  /** When consent was last given or withdrawn: the record a regulator asks for. */
  @Column({ name: 'marketing_consent_updated_at', type: 'timestamptz', nullable: true })
  marketingConsentUpdatedAt!: Date | null;

  /** A copy of the account's status, kept by the admin use case that changes it. */
  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: CustomerStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
