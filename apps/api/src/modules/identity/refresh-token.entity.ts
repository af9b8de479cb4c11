import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One refresh token of a family (a login and its rotations). Only the SHA-256 of the token is kept.
 * A token is used once; presenting a used one again revokes its whole family.
 */
@Entity({ schema: 'identity', name: 'refresh_tokens' })
export class RefreshToken {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('IDX_identity_refresh_tokens_family')
  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Index('IDX_identity_refresh_tokens_account')
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Index('UQ_identity_refresh_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  // The hourly credentials purge finds expired rows by it instead of scanning the table.
  @Index('IDX_identity_refresh_tokens_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
