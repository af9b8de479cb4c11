import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One `Idempotency-Key` as a client used it: claimed when the request starts, completed with the
 * response it got (replayed byte for byte afterwards), or deleted when nothing may be stored.
 */
@Entity({ schema: 'platform', name: 'idempotency_keys' })
@Unique('idempotency_keys_scope_uq', ['scope', 'request', 'key'])
@Index('idempotency_keys_expires_idx', ['expiresAt'])
export class IdempotencyKeyRow {
  @PrimaryColumn('uuid') id!: string;
  /** Whose key: `user:<id>`, `cart:<token>` or `ip:<address>` for anonymous callers. */
  @Column({ type: 'text' }) scope!: string;
  /** Method and path, e.g. `POST /api/v1/payments/<id>/refunds`. */
  @Column({ type: 'text' }) request!: string;
  @Column({ type: 'varchar', length: 255 }) key!: string;
  /** SHA-256 of the canonical request body (JSON with sorted keys). */
  @Column({ type: 'char', length: 64 }) fingerprint!: string;
  /** An in-flight claim expires at this time, so a crashed request's key becomes resumable. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus!: number | null;
  @Column({ name: 'response_headers', type: 'jsonb', nullable: true }) responseHeaders!: Record<string, string> | null;
  @Column({ name: 'response_body', type: 'bytea', nullable: true }) responseBody!: Buffer | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
}
