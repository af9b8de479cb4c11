import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A single-use, expiring password reset; only the SHA-256 of the emailed token is kept. */
@Entity({ schema: 'identity', name: 'password_resets' })
export class PasswordReset {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_identity_password_resets_account')
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Index('UQ_identity_password_resets_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  // The hourly credentials purge finds expired rows by it instead of scanning the table.
  @Index('IDX_identity_password_resets_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
