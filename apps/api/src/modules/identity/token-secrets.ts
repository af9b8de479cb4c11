import { createHash, randomBytes } from 'node:crypto';

/** An opaque secret for a client (refresh or reset token): 256 random bits, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** What we store instead of the secret: a leaked table cannot be replayed. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');
