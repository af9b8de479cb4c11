import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AccountStatus, AccountView, CallContext, CreateAccountInput, Role, TokenPair } from '#contracts';
import { AppConfig, AttemptLimiter } from '#platform';
import { toAccountView } from './account.view.js';
import { AccountsRepository } from './accounts.repository.js';
import { normaliseEmail } from './email.js';
import { AccountNotFoundError, EmailTakenError, InvalidCredentialsError, LastAdminError } from './identity.errors.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsService } from './sessions.service.js';
import { secretHash } from './token-secrets.js';

export interface Credentials {
  email: string;
  password: string;
}

/** Credentials, sign-in, status and roles. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: AttemptLimiter,
    private readonly config: AppConfig,
  ) {}

  async create(ctx: CallContext, input: CreateAccountInput): Promise<{ account: AccountView; tokens: TokenPair }> {
    // Each registration costs an argon2 hash: limited per client IP (a CLI call has none).
    if (ctx.clientIp !== undefined) await this.limitAttempts(ctx, 'registration');
    const email = normaliseEmail(input.email);
    const roles: Role[] = input.roles ?? ['customer'];
    const id = randomUUID();
    const session = this.sessions.newFamily(id);
    const created = await this.accounts.create({ id, email, roles, passwordHash: await this.hasher.hash(input.password) }, session.row, {
      name: 'identity.account-created',
      version: 1,
      accountId: id,
      email,
      roles,
    });
    if (!created) throw new EmailTakenError();
    return { account: toAccountView(created), tokens: this.sessions.pair(created, session.secret) };
  }

  /** The first admin (CLI): a new account with both roles, or the admin role added to an existing one. */
  async ensureAdmin(ctx: CallContext, rawEmail: string, password: string): Promise<{ account: AccountView; created: boolean }> {
    const existing = await this.accounts.findByEmail(normaliseEmail(rawEmail));
    if (existing) return { account: await this.setRoles(ctx, existing.id, [...existing.roles, 'admin']), created: false };
    const { account } = await this.create(ctx, { email: rawEmail, password, roles: ['customer', 'admin'] });
    return { account, created: true };
  }

  /** Unknown email, wrong password and disabled account answer alike, after the same argon2 work. */
  async login(ctx: CallContext, credentials: Credentials): Promise<TokenPair> {
    const email = normaliseEmail(credentials.email);
    await this.limitAttempts(ctx, 'login', email);
    const account = await this.accounts.findByEmail(email);
    const check = await this.hasher.check(account?.passwordHash ?? null, credentials.password);
    if (!account || !check.matches || account.status !== 'active') throw new InvalidCredentialsError();
    await this.accounts.recordLogin(account.id, check.needsRehash ? await this.hasher.hash(credentials.password) : null);
    return this.sessions.start(account);
  }

  async get(_ctx: CallContext, id: string): Promise<AccountView> {
    const account = await this.accounts.findById(id);
    if (!account) throw new AccountNotFoundError(id);
    return toAccountView(account);
  }

  setStatus(ctx: CallContext, id: string, status: AccountStatus): Promise<AccountView> {
    return this.changeAccess(id, { status }, (account) => ({
      name: 'identity.account-status-changed',
      version: 1,
      accountId: account.id,
      status: account.status,
      changedBy: ctx.userId,
    }));
  }

  setRoles(ctx: CallContext, id: string, roles: Role[]): Promise<AccountView> {
    return this.changeAccess(id, { roles: [...new Set(roles)] }, (account) => ({
      name: 'identity.roles-changed',
      version: 1,
      accountId: account.id,
      roles: account.roles,
      changedBy: ctx.userId,
    }));
  }

  /** Per IP, and per account when one is named (5 a minute by default); Redis-backed, so every instance counts together. */
  async limitAttempts(ctx: CallContext, action: 'login' | 'password reset' | 'registration', email?: string): Promise<void> {
    const windowMs = this.config.get('LOGIN_LIMIT_WINDOW_MS');
    const slug = action.replace(' ', '-');
    await this.limiter.hit(`${slug}:ip:${ctx.clientIp ?? 'unknown'}`, {
      what: `${action} attempts from this address`,
      limit: this.config.get('LOGIN_LIMIT_PER_IP'),
      windowMs,
    });
    if (email === undefined) return;
    // Hashed: Redis keys should not hold email addresses.
    await this.limiter.hit(`${slug}:account:${secretHash(email).slice(0, 32)}`, {
      what: `${action} attempts for this account`,
      limit: this.config.get('LOGIN_LIMIT_PER_ACCOUNT'),
      windowMs,
    });
  }

  private async changeAccess(
    id: string,
    change: { status?: AccountStatus; roles?: Role[] },
    event: Parameters<AccountsRepository['changeAccess']>[2],
  ): Promise<AccountView> {
    const result = await this.accounts.changeAccess(id, change, event);
    if (result === null) throw new AccountNotFoundError(id);
    if (result === 'last-admin') throw new LastAdminError();
    return toAccountView(result);
  }
}
