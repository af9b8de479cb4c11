import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidEnvironmentError } from '../config/env.schema.js';
import { JwtKeySet } from './jwt-keys.js';

const rsaPem = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems.join('; ');
    throw error;
  }
  return '';
}

describe('JwtKeySet', () => {
  const current = rsaPem();
  const retired = rsaPem();
  const dir = mkdtempSync(join(tmpdir(), 'ficus-keys-'));
  const retiredFile = join(dir, 'retired.pem');
  writeFileSync(retiredFile, retired);

  it('publishes the signing key and retired keys, each under its RFC 7638 thumbprint', () => {
    const keys = JwtKeySet.fromEnv({ JWT_SIGNING_KEY: current, JWT_VERIFY_KEY_FILES: [retiredFile] });
    const published = keys.jwks().keys;
    expect(published).toHaveLength(2);
    expect(published[0]?.kid).toBe(keys.signing?.kid);
    expect(published.map((k) => k.kid)).toEqual(published.map((k) => k.kid).filter((kid) => /^[\w-]{43}$/.test(kid)));
    for (const key of published) expect(keys.verificationKey(key.kid)?.type).toBe('public');
    expect(published.every((k) => !('d' in k))).toBe(true);
  });

  it('derives the same kid from the same key on every instance', () => {
    const a = JwtKeySet.fromEnv({ JWT_SIGNING_KEY: current, JWT_VERIFY_KEY_FILES: [] });
    const b = JwtKeySet.fromEnv({ JWT_SIGNING_KEY: current, JWT_VERIFY_KEY_FILES: [] });
    expect(a.signing?.kid).toBe(b.signing?.kid);
  });

  it('names the variable of a key that is too small, not RSA, public where private is needed, or missing', () => {
    expect(problemOf(() => JwtKeySet.fromEnv({ JWT_SIGNING_KEY: rsaPem(1024), JWT_VERIFY_KEY_FILES: [] }))).toMatch(/^JWT_SIGNING_KEY: needs an RSA key of at least 2048 bits/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(problemOf(() => JwtKeySet.fromEnv({ JWT_SIGNING_KEY: ec, JWT_VERIFY_KEY_FILES: [] }))).toMatch(/^JWT_SIGNING_KEY: needs an RSA key/);
    const publicFile = join(dir, 'public.pem');
    writeFileSync(publicFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(problemOf(() => JwtKeySet.fromEnv({ JWT_SIGNING_KEY_FILE: publicFile, JWT_VERIFY_KEY_FILES: [] }))).toMatch(/^JWT_SIGNING_KEY_FILE: needs a private key/);
    expect(problemOf(() => JwtKeySet.fromEnv({ JWT_SIGNING_KEY_FILE: join(dir, 'nope.pem'), JWT_VERIFY_KEY_FILES: [] }))).toMatch(/^JWT_SIGNING_KEY_FILE: ENOENT/);
  });

  it('knows no key for an unknown or non-string kid', () => {
    const keys = JwtKeySet.fromEnv({ JWT_SIGNING_KEY: current, JWT_VERIFY_KEY_FILES: [] });
    expect(keys.verificationKey('nope')).toBeUndefined();
    expect(keys.verificationKey(42)).toBeUndefined();
  });
});
