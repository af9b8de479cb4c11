import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** OWASP's argon2id minimum (m=19 MiB, t=2, p=1). Raising these rehashes each password at its next login. */
export const PASSWORD_HASH_PARAMS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordCheck {
  matches: boolean;
  /** The stored hash was made with older parameters: store a new one now that we know the password. */
  needsRehash: boolean;
}

@Injectable()
export class PasswordHasher {
  // Verified against when the email is unknown, so that answer takes as long as a wrong password.
  private readonly decoy = argon2.hash('decoy password for unknown accounts', PASSWORD_HASH_PARAMS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, PASSWORD_HASH_PARAMS);
  }

  async check(storedHash: string | null, password: string): Promise<PasswordCheck> {
    if (storedHash === null) {
      await argon2.verify(await this.decoy, password);
      return { matches: false, needsRehash: false };
    }
    const matches = await argon2.verify(storedHash, password);
    return { matches, needsRehash: matches && argon2.needsRehash(storedHash, PASSWORD_HASH_PARAMS) };
  }
}
