import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, IsNull } from 'typeorm';
import { RefreshToken } from './refresh-token.entity.js';

export type NewRefreshToken = Pick<RefreshToken, 'id' | 'familyId' | 'accountId' | 'tokenHash' | 'expiresAt'>;

export type Rotation =
  | { outcome: 'rotated'; accountId: string; familyId: string }
  | { outcome: 'reused'; accountId: string; familyId: string }
  | { outcome: 'refused' };

/** Refresh tokens: one row per token, grouped in families (a sign-in and its rotations). */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.dataSource.manager.insert(RefreshToken, token);
  }

  /**
   * Uses the token and stores its successor, atomically. A token that was already used means someone
   * holds a copy: the whole family is revoked. The row lock makes two concurrent rotations of one
   * token resolve as one rotation and one reuse.
   */
  async rotate(tokenHash: string, next: (current: RefreshToken) => NewRefreshToken): Promise<Rotation> {
    return this.dataSource.transaction(async (tx) => {
      const current = await tx.findOne(RefreshToken, { where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
      if (!current || current.revokedAt) return { outcome: 'refused' };
      if (current.usedAt) {
        await tx.update(RefreshToken, { familyId: current.familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
        return { outcome: 'reused', accountId: current.accountId, familyId: current.familyId };
      }
      if (current.expiresAt.getTime() <= Date.now()) return { outcome: 'refused' };
      await tx.update(RefreshToken, { id: current.id }, { usedAt: () => 'now()' });
      await tx.insert(RefreshToken, next(current));
      return { outcome: 'rotated', accountId: current.accountId, familyId: current.familyId };
    });
  }

  /** Revokes the family the token belongs to; false when the token is unknown. */
  async revokeFamilyOf(tokenHash: string): Promise<boolean> {
    const token = await this.dataSource.manager.findOneBy(RefreshToken, { tokenHash });
    if (!token) return false;
    await this.revokeFamily(token.familyId);
    return true;
  }

  /**
   * Deletes up to `limit` refresh tokens and password-reset tokens that expired more than
   * `keepMs` ago; returns how many. Kept that long after expiry so that a used token presented
   * again within it still reads as reuse (and revokes its family) rather than as unknown.
   */
  async purgeExpired(keepMs: number, limit: number): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH refresh AS (
         DELETE FROM identity.refresh_tokens WHERE id IN (
           SELECT id FROM identity.refresh_tokens WHERE expires_at < now() - $1 * interval '1 millisecond' LIMIT $2)
         RETURNING 1
       ), resets AS (
         DELETE FROM identity.password_resets WHERE id IN (
           SELECT id FROM identity.password_resets WHERE expires_at < now() - $1 * interval '1 millisecond' LIMIT $2)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM refresh)::int + (SELECT count(*) FROM resets)::int AS purged`,
      [keepMs, limit],
    )) as { purged: number }[];
    return row?.purged ?? 0;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.dataSource.manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
