/**
 * `npm run auth:keygen [-- path]`: writes an RSA 2048 private key (PKCS#8 PEM, mode 600) for signing
 * access tokens, unless one is already there. Point JWT_SIGNING_KEY_FILE at it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_KEY_FILE = '.data/keys/signing-key.pem';

/** Returns true when a new key was written. */
export function ensureSigningKey(path: string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = resolve(process.argv[2] ?? DEFAULT_KEY_FILE);
  const written = ensureSigningKey(path);
  process.stdout.write(`${written ? 'Wrote a new signing key to' : 'A signing key already exists at'} ${path}\nSet JWT_SIGNING_KEY_FILE=${path}\n`);
}
