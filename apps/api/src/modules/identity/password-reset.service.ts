import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext } from '#contracts';
import { AppConfig } from '#platform';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { normaliseEmail } from './email.js';
import { InvalidResetTokenError } from './identity.errors.js';
import { PasswordHasher } from './password-hasher.js';
import { newSecret, secretHash } from './token-secrets.js';

const MINUTE_MS = 60_000;

/** Forgotten passwords: a single-use, expiring token, mailed by notifications from the event. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly accountsService: AccountsService,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  /** Answers the same whether or not the email has an account. */
  async request(ctx: CallContext, rawEmail: string): Promise<void> {
    const email = normaliseEmail(rawEmail);
    await this.accountsService.limitAttempts(ctx, 'password reset', email);
    const account = await this.accounts.findByEmail(email);
    if (!account || account.status !== 'active') return;
    const token = newSecret();
    const expiresAt = new Date(Date.now() + this.config.get('PASSWORD_RESET_TTL_MIN') * MINUTE_MS);
    await this.accounts.createPasswordReset(
      { id: randomUUID(), accountId: account.id, tokenHash: secretHash(token), expiresAt },
      {
        name: 'identity.password-reset-requested',
        version: 1,
        accountId: account.id,
        email: account.email,
        resetToken: token,
        expiresAt: expiresAt.toISOString(),
      },
    );
  }

  /** Sets the new password and signs out every session of the account. */
  async reset(ctx: CallContext, token: string, password: string): Promise<void> {
    await this.accountsService.limitAttempts(ctx, 'password reset');
    const newHash = await this.hasher.hash(password);
    const accountId = await this.accounts.resetPassword(secretHash(token), newHash, (id) => ({
      name: 'identity.password-changed',
      version: 1,
      accountId: id,
    }));
    if (!accountId) throw new InvalidResetTokenError();
  }
}
