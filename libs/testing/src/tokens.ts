import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * An access token for an API started with the private key `pem` (kid read from its JWKS), as the
 * identity context would issue it; for apps in other processes, where no IdentityApi is at hand.
 */
export async function signAccessToken(baseUrl: string, pem: string, roles: string[] = ['customer', 'admin'], subject = randomUUID()): Promise<string> {
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  return jwt.sign({ roles }, pem, { algorithm: 'RS256', keyid: jwks.keys[0]?.kid, issuer: 'ficus', audience: 'ficus-api', subject, expiresIn: 3600, notBefore: 0 });
}
