import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CallContext, Role } from '#contracts';
import { AppConfig } from '#platform';
import { AccessTokenSigner } from './access-token.signer.js';
import type { Account } from './account.entity.js';
import { AccountsRepository } from './accounts.repository.js';
import type { ExchangedTokenDto, TokenExchangeDto } from './dto/token-exchange.dto.js';
import { normaliseEmail } from './email.js';
import { AccountDisabledError, ProxySecretInvalidError, ProxySecretMissingError } from './identity.errors.js';
import { PasswordHasher } from './password-hasher.js';

const LEGACY_ROLES: Role[] = ['customer'];

/**
 * The legacy proxy's auth bridge: a shopper logged into the legacy shop gets a short-lived access
 * token for the account with their email. Create-or-link: an existing account is linked by its
 * email; otherwise a customer account is made whose password is a random secret nobody holds (the
 * shopper sets one with a password reset). Only the proxy, holding PROXY_EXCHANGE_SECRET, may ask.
 */
@Injectable()
export class TokenExchangeService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly signer: AccessTokenSigner,
    private readonly config: AppConfig,
  ) {}

  async exchange(_ctx: CallContext, secret: string | undefined, input: TokenExchangeDto): Promise<ExchangedTokenDto> {
    this.checkSecret(secret);
    const { account, created } = await this.linkedAccount(normaliseEmail(input.email));
    if (account.status !== 'active') throw new AccountDisabledError();
    const lifetime = this.config.get('PROXY_EXCHANGE_TOKEN_TTL_S');
    return { accessToken: this.signer.sign(account.id, account.roles, lifetime), tokenType: 'Bearer', expiresIn: lifetime, accountId: account.id, created };
  }

  private checkSecret(given: string | undefined): void {
    if (!given) throw new ProxySecretMissingError();
    const expected = this.config.get('PROXY_EXCHANGE_SECRET');
    const a = Buffer.from(given);
    const b = Buffer.from(expected ?? '');
    if (!expected || a.length !== b.length || !timingSafeEqual(a, b)) throw new ProxySecretInvalidError();
  }

  private async linkedAccount(email: string): Promise<{ account: Account; created: boolean }> {
    const existing = await this.accounts.findByEmail(email);
    if (existing) return { account: existing, created: false };
    const id = randomUUID();
    const passwordHash = await this.hasher.hash(randomBytes(32).toString('base64url'));
    const created = await this.accounts.create({ id, email, roles: LEGACY_ROLES, passwordHash }, null, {
      name: 'identity.account-created',
      version: 1,
      accountId: id,
      email,
      roles: LEGACY_ROLES,
    });
    if (created) return { account: created, created: true };
    // Two first requests of one shopper at once: the other one made it.
    const raced = await this.accounts.findByEmail(email);
    if (!raced) throw new Error(`account for ${email} neither created nor found`);
    return { account: raced, created: false };
  }
}
