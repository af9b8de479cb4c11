import type { AuthUser } from './auth-user.js';

const MAX_ENTRIES = 5000;

/**
 * Remembers tokens whose signature and claims passport-jwt has already verified, keyed by the exact
 * Authorization header, so a client's next requests with the same token skip the RSA verification
 * (about a third of a small request's CPU). Only verified tokens enter; expiry is re-checked on every
 * hit; the keys cannot change while the process runs. Bounded, oldest out first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, AuthUser>();

  get(header: string, nowMs = Date.now()): AuthUser | undefined {
    const user = this.entries.get(header);
    if (user === undefined) return undefined;
    if (user.exp * 1000 <= nowMs) {
      this.entries.delete(header);
      return undefined;
    }
    return user;
  }

  set(header: string, user: AuthUser): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(header, user);
  }

  get size(): number {
    return this.entries.size;
  }
}
