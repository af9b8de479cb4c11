import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AccountStatus, Role } from '#contracts';

@Entity({ schema: 'identity', name: 'accounts' })
export class Account {
  @PrimaryColumn('uuid')
  id!: string;

  /** Stored normalised (trimmed, lower-case), so uniqueness is case-insensitive. */
  @Index('UQ_identity_accounts_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'text', array: true, default: () => "'{customer}'" })
  roles!: Role[];

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: AccountStatus;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
