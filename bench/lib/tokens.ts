import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';

/** An admin access token signed with the bench key the API under test was started with. */
export async function adminToken(baseUrl: string, keyFile: string): Promise<string> {
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  return jwt.sign({ roles: ['customer', 'admin'] }, readFileSync(keyFile, 'utf8'), {
    algorithm: 'RS256',
    keyid: jwks.keys[0]?.kid,
    issuer: 'ficus',
    audience: 'ficus-api',
    subject: randomUUID(),
    expiresIn: 3600,
    notBefore: 0,
  });
}
