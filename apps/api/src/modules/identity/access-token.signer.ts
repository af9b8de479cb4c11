import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import type { Role } from '#contracts';
import { ACCESS_TOKEN_ALGORITHM, AppConfig, JwtKeySet } from '#platform';

/** Signs access tokens with the current key; verification is the platform's JwtAuthGuard (or any JWKS client). */
@Injectable()
export class AccessTokenSigner {
  constructor(
    private readonly keys: JwtKeySet,
    private readonly config: AppConfig,
  ) {}

  get lifetimeSeconds(): number {
    return this.config.get('JWT_ACCESS_TTL_S');
  }

  sign(accountId: string, roles: Role[], lifetimeSeconds = this.lifetimeSeconds): string {
    const signing = this.keys.signing;
    if (!signing) throw new Error('No signing key configured (JWT_SIGNING_KEY_FILE)');
    return jwt.sign({ roles }, signing.privateKey, {
      algorithm: ACCESS_TOKEN_ALGORITHM,
      keyid: signing.kid,
      issuer: this.config.get('JWT_ISSUER'),
      audience: this.config.get('JWT_AUDIENCE'),
      subject: accountId,
      expiresIn: lifetimeSeconds,
      notBefore: 0,
    });
  }
}
