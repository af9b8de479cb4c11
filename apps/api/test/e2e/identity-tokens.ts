import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

export interface ForgeContext {
  kid: string;
  signingKeyPem: string;
  publicKeyPem: string;
  issuer: string;
  audience: string;
}

/** Claims as identity signs them; an override of `undefined` leaves that claim out. */
export const validClaims = (ctx: ForgeContext, overrides: Record<string, unknown> = {}) => {
  const claims: Record<string, unknown> = {
    sub: '6f1c0a5e-7a9b-4c1e-9d2f-0b7e3c5a1d20',
    roles: ['customer'],
    iss: ctx.issuer,
    aud: ctx.audience,
    iat: now(),
    nbf: now(),
    exp: now() + 600,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
};

/** Tokens an attacker or a broken client might send; each must be refused with 401. */
export function forgedTokens(ctx: ForgeContext): Record<string, string> {
  const otherKey: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const sign = (claims: object, key: string | KeyObject = ctx.signingKeyPem, kid = ctx.kid) =>
    jwt.sign(claims, key, { algorithm: 'RS256', keyid: kid });
  const hs256Header = b64({ alg: 'HS256', typ: 'JWT', kid: ctx.kid });
  const hs256Body = b64(validClaims(ctx));
  const hs256Signature = createHmac('sha256', ctx.publicKeyPem).update(`${hs256Header}.${hs256Body}`).digest('base64url');
  return {
    malformed: 'not.a.jwt',
    garbage: 'x',
    expired: sign(validClaims(ctx, { iat: now() - 3600, nbf: now() - 3600, exp: now() - 60 })),
    'not yet valid (nbf)': sign(validClaims(ctx, { nbf: now() + 600 })),
    'signed by another key under our kid': sign(validClaims(ctx), otherKey),
    'unknown kid': sign(validClaims(ctx), ctx.signingKeyPem, 'no-such-key'),
    'alg none': `${b64({ alg: 'none', typ: 'JWT', kid: ctx.kid })}.${b64(validClaims(ctx))}.`,
    'HS256 signed with the public key': `${hs256Header}.${hs256Body}.${hs256Signature}`,
    'another audience': sign(validClaims(ctx, { aud: 'another-api' })),
    'another issuer': sign(validClaims(ctx, { iss: 'someone-else' })),
    'no roles claim': sign(validClaims(ctx, { roles: undefined })),
    'no nbf claim': sign(validClaims(ctx, { nbf: undefined })),
    'tampered payload': (() => {
      const [header, , signature] = sign(validClaims(ctx)).split('.');
      return `${header}.${b64(validClaims(ctx, { roles: ['customer', 'admin'] }))}.${signature}`;
    })(),
  };
}
