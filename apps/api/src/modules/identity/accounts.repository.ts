import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import type { AccountStatus, Role } from '#contracts';
import { type DomainEvent, EventPublisher, isUniqueViolation } from '#platform';
import { Account } from './account.entity.js';
import { PasswordReset } from './password-reset.entity.js';
import { RefreshToken } from './refresh-token.entity.js';

export type NewAccount = Pick<Account, 'id' | 'email' | 'passwordHash' | 'roles'>;

/** Accounts and everything that changes one (credentials, status, roles); events go out in the same transaction. */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /** Null when the email is taken. An account made for a legacy sign-in has no first session (null). */
  async create(account: NewAccount, firstSession: Partial<RefreshToken> | null, event: DomainEvent): Promise<Account | null> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        await tx.insert(Account, account);
        if (firstSession) await tx.insert(RefreshToken, firstSession);
        await this.events.publish(tx, event);
        return tx.findOneByOrFail(Account, { id: account.id });
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  findByEmail(email: string): Promise<Account | null> {
    return this.dataSource.manager.findOneBy(Account, { email });
  }

  findById(id: string): Promise<Account | null> {
    return this.dataSource.manager.findOneBy(Account, { id });
  }

  async recordLogin(id: string, rehashed: string | null): Promise<void> {
    await this.dataSource.manager.update(Account, { id }, { lastLoginAt: () => 'now()', ...(rehashed ? { passwordHash: rehashed } : {}) });
  }

  /**
   * Changes status or roles under a lock on the active admins, so two admins demoting each other at
   * once cannot leave none. Returns 'last-admin' when the change would do that, null for no account.
   */
  async changeAccess(
    id: string,
    change: { status?: AccountStatus; roles?: Role[] },
    event: (account: Account) => DomainEvent,
  ): Promise<Account | null | 'last-admin'> {
    return this.dataSource.transaction(async (tx) => {
      const admins = await tx
        .createQueryBuilder(Account, 'a')
        .setLock('pessimistic_write')
        .where(`'admin' = ANY(a.roles) AND a.status = 'active'`)
        .getMany();
      const account = await tx.findOne(Account, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!account) return null;
      const next = { ...account, ...change };
      const staysAdmin = next.status === 'active' && next.roles.includes('admin');
      if (!staysAdmin && admins.length === 1 && admins[0]?.id === id) return 'last-admin';
      await tx.update(Account, { id }, change);
      if (change.status === 'disabled') await revokeAllSessions(tx, id);
      const updated = await tx.findOneByOrFail(Account, { id });
      await this.events.publish(tx, event(updated));
      return updated;
    });
  }

  /** Sets a new password if the reset is valid; uses it up, with every other reset and session of the account. */
  async resetPassword(tokenHash: string, newHash: string, event: (accountId: string) => DomainEvent): Promise<string | null> {
    return this.dataSource.transaction(async (tx) => {
      const reset = await tx.findOne(PasswordReset, { where: { tokenHash, usedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!reset || reset.expiresAt.getTime() <= Date.now()) return null;
      await tx.update(PasswordReset, { accountId: reset.accountId, usedAt: IsNull() }, { usedAt: () => 'now()' });
      await tx.update(Account, { id: reset.accountId }, { passwordHash: newHash });
      await revokeAllSessions(tx, reset.accountId);
      await this.events.publish(tx, event(reset.accountId));
      return reset.accountId;
    });
  }

  async createPasswordReset(reset: Pick<PasswordReset, 'id' | 'accountId' | 'tokenHash' | 'expiresAt'>, event: DomainEvent): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.insert(PasswordReset, reset);
      await this.events.publish(tx, event);
    });
  }
}

async function revokeAllSessions(tx: EntityManager, accountId: string): Promise<void> {
  await tx.update(RefreshToken, { accountId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
}
