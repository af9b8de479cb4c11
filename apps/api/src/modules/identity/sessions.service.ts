import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Role, TokenPair } from '#contracts';
import { AppConfig } from '#platform';
import { AccessTokenSigner } from './access-token.signer.js';
import type { Account } from './account.entity.js';
import { AccountsRepository } from './accounts.repository.js';
import { InvalidRefreshTokenError } from './identity.errors.js';
import { type NewRefreshToken, SessionsRepository } from './sessions.repository.js';
import { newSecret, secretHash } from './token-secrets.js';

const DAY_MS = 86_400_000;

/** Token pairs: access tokens signed for 15 minutes, refresh tokens rotated on every use. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly signer: AccessTokenSigner,
    private readonly config: AppConfig,
  ) {}

  /** A new family's first refresh token: the row to store and the secret to hand out. */
  newFamily(accountId: string): { row: NewRefreshToken; secret: string } {
    return this.token(accountId, randomUUID());
  }

  pair(account: { id: string; roles: Role[] }, refreshSecret: string): TokenPair {
    return {
      accessToken: this.signer.sign(account.id, account.roles),
      refreshToken: refreshSecret,
      tokenType: 'Bearer',
      expiresIn: this.signer.lifetimeSeconds,
    };
  }

  async start(account: Account): Promise<TokenPair> {
    const { row, secret } = this.newFamily(account.id);
    await this.sessions.insert(row);
    return this.pair(account, secret);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    let secret = '';
    const rotation = await this.sessions.rotate(secretHash(refreshToken), (current) => {
      const next = this.token(current.accountId, current.familyId);
      secret = next.secret;
      return next.row;
    });
    if (rotation.outcome === 'reused') {
      throw new InvalidRefreshTokenError('This refresh token was already used; every session of this sign-in is now revoked');
    }
    if (rotation.outcome === 'refused') throw new InvalidRefreshTokenError();
    const account = await this.accounts.findById(rotation.accountId);
    if (!account || account.status !== 'active') {
      await this.sessions.revokeFamily(rotation.familyId);
      throw new InvalidRefreshTokenError();
    }
    return this.pair(account, secret);
  }

  /** Idempotent, and silent about unknown tokens. */
  async logout(refreshToken: string): Promise<void> {
    await this.sessions.revokeFamilyOf(secretHash(refreshToken));
  }

  private token(accountId: string, familyId: string): { row: NewRefreshToken; secret: string } {
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + this.config.get('REFRESH_TOKEN_TTL_DAYS') * DAY_MS);
    return { secret, row: { id: randomUUID(), familyId, accountId, tokenHash: secretHash(secret), expiresAt } };
  }
}
