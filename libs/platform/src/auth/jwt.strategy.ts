import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import jwksRsa from 'jwks-rsa';
import { ExtractJwt, type SecretOrKeyProvider, Strategy } from 'passport-jwt';
import { InvalidEnvironmentError } from '../config/env.schema.js';
import { AppConfig } from '../config/app-config.js';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';
import { CLOCK_TOLERANCE_S } from './jwt-clock.js';
import { ACCESS_TOKEN_ALGORITHM, JwtKeySet } from './jwt-keys.js';

export const JWT_STRATEGY = 'jwt';

function headerKid(rawJwt: string): unknown {
  try {
    const header = JSON.parse(Buffer.from(rawJwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return header.kid;
  } catch {
    return undefined;
  }
}

export class UnknownSigningKeyError extends Error {
  constructor() {
    super('unknown signing key (kid)');
  }
}

const JWKS_CACHE_MS = 10 * 60_000;

type KeyCallback = (error: Error | null, key?: string) => void;

/** Keys held by this app (the issuer, or retired keys), chosen by the token's `kid`. */
function localKeys(keys: JwtKeySet) {
  return (_request: unknown, rawJwt: string, done: KeyCallback) => {
    const key = keys.verificationKey(headerKid(rawJwt));
    // jsonwebtoken takes a KeyObject (no PEM parse per request); the typings only say string.
    if (key) done(null, key as unknown as string);
    else done(new UnknownSigningKeyError());
  };
}

/**
 * An app that holds no key (the legacy proxy, a split-out context) verifies with the issuer's
 * published JWKS alone: fetched on first use, cached, refetched (at most 10 a minute) for an
 * unknown `kid`, which is how it follows a key rotation.
 */
function remoteKeys(jwksUri: string): SecretOrKeyProvider {
  return jwksRsa.passportJwtSecret({ jwksUri, cache: true, cacheMaxAge: JWKS_CACHE_MS, rateLimit: true, jwksRequestsPerMinute: 10 });
}

function keyProvider(keys: JwtKeySet, config: AppConfig): SecretOrKeyProvider {
  if (!keys.isEmpty) return localKeys(keys);
  const jwksUri = config.get('JWT_JWKS_URL');
  if (!jwksUri) {
    throw new InvalidEnvironmentError(['JWT_JWKS_URL: is required to verify access tokens when no JWT_SIGNING_KEY(_FILE) is set']);
  }
  return remoteKeys(jwksUri);
}

/**
 * passport-jwt, pinned to RS256 and our issuer and audience; the key is chosen by the token's `kid`,
 * so rotation needs no code. No session lookup: the token is the session.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(keys: JwtKeySet, config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.get('JWT_ISSUER'),
      audience: config.get('JWT_AUDIENCE'),
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_S },
      secretOrKeyProvider: keyProvider(keys, config),
    });
  }

  /** Signature, algorithm, iss, aud, exp and nbf are checked by now; the claims we rely on must be present. */
  validate(claims: Partial<AccessTokenClaims>): AuthUser | false {
    const { sub, roles, nbf, exp } = claims;
    if (typeof sub !== 'string' || sub === '') return false;
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return false;
    if (typeof nbf !== 'number' || typeof exp !== 'number') return false;
    return { userId: sub, roles, exp };
  }
}
