import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Env } from '../config/env.schema.js';
import { InvalidEnvironmentError } from '../config/env.schema.js';

/** The one algorithm access tokens are signed with and verified against; anything else is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'RS256';
const MIN_RSA_BITS = 2048;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface PublishedKey extends JsonWebKey {
  kid: string;
  kty: 'RSA';
  use: 'sig';
  alg: typeof ACCESS_TOKEN_ALGORITHM;
}

const publicHalf = (key: KeyObject): KeyObject => (key.type === 'public' ? key : createPublicKey(key));

/** RFC 7638 thumbprint: a key id that follows from the key itself, so every instance agrees on it. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function readKey(source: string, variable: string): KeyObject {
  try {
    const pem = source.includes('-----BEGIN') ? source : readFileSync(source, 'utf8');
    const key = pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : createPublicKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
      throw new Error(`needs an RSA key of at least ${MIN_RSA_BITS} bits (RS256), got ${key.asymmetricKeyType} ${bits || ''}`.trim());
    }
    return key;
  } catch (error) {
    const message = (error as { message?: unknown } | null)?.message;
    throw new InvalidEnvironmentError([`${variable}: ${typeof message === 'string' ? message : String(error)}`]);
  }
}

/**
 * The keys of access tokens: one private key signs; it and any retired keys still verify and are
 * published at /.well-known/jwks.json until the tokens they signed have expired.
 */
export class JwtKeySet {
  private readonly byKid = new Map<string, KeyObject>();
  private readonly published: PublishedKey[] = [];

  constructor(
    readonly signing: SigningKey | null,
    verifyOnly: KeyObject[] = [],
  ) {
    for (const key of [...(signing ? [signing.privateKey] : []), ...verifyOnly].map(publicHalf)) {
      const jwk = key.export({ format: 'jwk' });
      const kid = thumbprint(jwk);
      if (this.byKid.has(kid)) continue;
      this.byKid.set(kid, key);
      this.published.push({ kty: 'RSA', n: jwk.n, e: jwk.e, kid, use: 'sig', alg: ACCESS_TOKEN_ALGORITHM });
    }
  }

  static fromEnv(env: Pick<Env, 'JWT_SIGNING_KEY' | 'JWT_SIGNING_KEY_FILE' | 'JWT_VERIFY_KEY_FILES'>): JwtKeySet {
    const source = env.JWT_SIGNING_KEY ?? env.JWT_SIGNING_KEY_FILE;
    const variable = env.JWT_SIGNING_KEY ? 'JWT_SIGNING_KEY' : 'JWT_SIGNING_KEY_FILE';
    let signing: SigningKey | null = null;
    if (source) {
      const privateKey = readKey(source, variable);
      if (privateKey.type !== 'private') throw new InvalidEnvironmentError([`${variable}: needs a private key, got a public one`]);
      signing = { privateKey, kid: thumbprint(createPublicKey(privateKey).export({ format: 'jwk' })) };
    }
    const retired = env.JWT_VERIFY_KEY_FILES.map((file) => readKey(file, `JWT_VERIFY_KEY_FILES (${file})`));
    return new JwtKeySet(signing, retired);
  }

  /** The public key for a token's `kid`, or undefined for a key we do not know. */
  verificationKey(kid: unknown): KeyObject | undefined {
    return typeof kid === 'string' ? this.byKid.get(kid) : undefined;
  }

  /** True when this app holds no key and must verify against a remote JWKS (JWT_JWKS_URL). */
  get isEmpty(): boolean {
    return this.byKid.size === 0;
  }

  jwks(): { keys: PublishedKey[] } {
    return { keys: this.published };
  }
}
