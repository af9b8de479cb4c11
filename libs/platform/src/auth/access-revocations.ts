import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { REDIS, type OptionalRedis } from '../redis/redis.module.js';
import type { AuthUser } from './auth-user.js';
import { CLOCK_TOLERANCE_S } from './jwt-clock.js';

/** What an account may do now, as identity last recorded it after a change. */
export interface AccountAccess {
  status: string;
  roles: string[];
}

/** How long this process trusts what it last read for an account (the time a change takes to reach every instance). */
export const ACCESS_RECHECK_MS = 1000;
const MAX_ENTRIES = 10_000;

interface Known {
  access: AccountAccess | null;
  until: number;
}

/**
 * Access tokens are stateless, so a disabled account or a removed role would otherwise keep working
 * until the token expires. Identity records an account's access here when it changes; every
 * verifier refuses a token of a disabled account, or one that claims a role the account no longer
 * has. Records live in Redis (shared by every instance and app) for one access-token lifetime, after
 * which every token issued before the change has expired; each process re-reads an account it has
 * seen at most once per ACCESS_RECHECK_MS. Without Redis: this process only. A Redis that does not
 * answer lets tokens through, as before this check (logged).
 */
@Injectable()
export class AccessRevocations {
  private readonly logger = new Logger('AccessRevocations');
  private readonly known = new Map<string, Known>();
  private readonly reading = new Map<string, Promise<AccountAccess | null>>();
  private readonly prefix: string;
  private readonly lifetimeS: number;
  private failing = false;

  constructor(
    @Inject(REDIS) private readonly redis: OptionalRedis,
    config: AppConfig,
  ) {
    this.prefix = `${config.get('REDIS_KEY_PREFIX')}auth-access:`;
    // A token is accepted this long past its `exp` (the strategy's clock tolerance).
    this.lifetimeS = config.get('JWT_ACCESS_TTL_S') + CLOCK_TOLERANCE_S;
  }

  /** After an account's status or roles changed: tokens issued before that stop working. */
  async record(accountId: string, access: AccountAccess): Promise<void> {
    if (this.redis) await this.redis.set(this.prefix + accountId, JSON.stringify(access), 'EX', this.lifetimeS);
    // Without Redis the record is the only copy: it must outlive the tokens it refuses.
    const until = this.redis ? Date.now() + ACCESS_RECHECK_MS : Date.now() + this.lifetimeS * 1000;
    this.remember(accountId, { access, until });
  }

  /** True when the token's bearer lost the access it claims; synchronous when this process knows the account. */
  refuses(user: AuthUser, nowMs = Date.now()): boolean | Promise<boolean> {
    const known = this.known.get(user.userId);
    if (known && known.until > nowMs) return lost(user, known.access);
    if (!this.redis) {
      if (known) this.known.delete(user.userId);
      return false;
    }
    return this.read(user.userId).then((access) => lost(user, access));
  }

  private read(accountId: string): Promise<AccountAccess | null> {
    let pending = this.reading.get(accountId);
    if (!pending) {
      pending = this.fetch(accountId).finally(() => this.reading.delete(accountId));
      this.reading.set(accountId, pending);
    }
    return pending;
  }

  private async fetch(accountId: string): Promise<AccountAccess | null> {
    let access: AccountAccess | null = null;
    try {
      const raw = await this.redis!.get(this.prefix + accountId);
      access = raw === null ? null : (JSON.parse(raw) as AccountAccess);
      if (this.failing) this.logger.log('access checks resumed');
      this.failing = false;
    } catch (error) {
      // Once per outage, not once per account.
      if (!this.failing) this.logger.warn(`access changes not checked while Redis fails (tokens accepted): ${String(error)}`);
      this.failing = true;
    }
    // Also after a failure: an outage costs one attempt per account and interval, not one per request.
    this.remember(accountId, { access, until: Date.now() + ACCESS_RECHECK_MS });
    return access;
  }

  private remember(accountId: string, known: Known): void {
    this.known.delete(accountId);
    if (this.known.size >= MAX_ENTRIES) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(accountId, known);
  }
}

function lost(user: AuthUser, access: AccountAccess | null): boolean {
  if (access === null) return false;
  return access.status !== 'active' || user.roles.some((role) => !access.roles.includes(role));
}
