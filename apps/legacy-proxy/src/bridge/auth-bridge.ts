import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import { cookieValue } from '../routing/cookies.js';

export const LEGACY_SESSION_COOKIE = 'PHPSESSID';
export const BRIDGE_KEY_HEADER = 'x-legacy-bridge-key';
export const EXCHANGE_SECRET_HEADER = 'x-proxy-exchange-secret';
const SESSION_ID = /^[A-Za-z0-9,-]{22,256}$/;
const CALL_TIMEOUT_MS = 3000;
/** A session that resolved to no one is asked again after this long (a login gets a new id anyway). */
const ANONYMOUS_CACHE_MS = 5000;
const MAX_ENTRIES = 10_000;

export interface AuthBridgeOptions {
  legacyUrl: string;
  apiUrl: string;
  bridgeKey: string;
  exchangeSecret: string;
  /** How long a token is reused for one session; never more than half its lifetime. */
  cacheMs: number;
  logger?: Logger;
}

interface Entry {
  token: string | null;
  until: number;
}

/**
 * A legacy session (PHPSESSID) turned into an access token for the API: the legacy shop says who
 * is logged in (its key-protected bridge/whoami), identity's token exchange mints a short-lived
 * token for that customer. Cached per session (keyed by a hash, never the id itself); concurrent
 * requests of one session share one lookup. Any failure means anonymous, never an error.
 */
export class AuthBridge {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(private readonly options: AuthBridgeOptions) {}

  static validSessionId(value: string | undefined): value is string {
    return value !== undefined && SESSION_ID.test(value);
  }

  /** The well-formed legacy session id in a Cookie header, if any. */
  static sessionIn(cookieHeader: string | undefined): string | undefined {
    const session = cookieValue(cookieHeader, LEGACY_SESSION_COOKIE);
    return AuthBridge.validSessionId(session) ? session : undefined;
  }

  /** The token for the legacy session in a Cookie header, if it names one (null: anonymous). */
  tokenForCookies(cookieHeader: string | undefined): Promise<string | null> {
    const session = AuthBridge.sessionIn(cookieHeader);
    return session === undefined ? Promise.resolve(null) : this.tokenFor(session);
  }

  async tokenFor(sessionId: string): Promise<string | null> {
    if (!AuthBridge.validSessionId(sessionId)) return null;
    const key = createHash('sha256').update(sessionId).digest('base64url');
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const lookup = this.resolve(sessionId)
      .catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'auth bridge: the legacy session could not be exchanged; the request goes on anonymous');
        return { token: null, until: 0 };
      })
      .then((entry) => {
        this.remember(key, entry);
        return entry.token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, lookup);
    return lookup;
  }

  private async resolve(sessionId: string): Promise<Entry> {
    const who = await request(`${this.options.legacyUrl}/index.php?route=bridge/whoami`, {
      headers: { cookie: `${LEGACY_SESSION_COOKIE}=${sessionId}`, [BRIDGE_KEY_HEADER]: this.options.bridgeKey, accept: 'application/json' },
      headersTimeout: CALL_TIMEOUT_MS,
      bodyTimeout: CALL_TIMEOUT_MS,
    });
    if (who.statusCode === 404) {
      await who.body.dump();
      return { token: null, until: Date.now() + ANONYMOUS_CACHE_MS };
    }
    if (who.statusCode !== 200) {
      await who.body.dump();
      throw new Error(`the legacy shop's bridge/whoami answered ${who.statusCode}`);
    }
    const customer = (await who.body.json()) as { id: number; email: string };
    const exchanged = await request(`${this.options.apiUrl}/api/v1/auth/token-exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [EXCHANGE_SECRET_HEADER]: this.options.exchangeSecret },
      body: JSON.stringify({ legacyCustomerId: customer.id, email: customer.email }),
      headersTimeout: CALL_TIMEOUT_MS,
      bodyTimeout: CALL_TIMEOUT_MS,
    });
    if (exchanged.statusCode !== 200) {
      await exchanged.body.dump();
      throw new Error(`the API's token exchange answered ${exchanged.statusCode}`);
    }
    const token = (await exchanged.body.json()) as { accessToken: string; expiresIn: number };
    return { token: token.accessToken, until: Date.now() + Math.min(this.options.cacheMs, (token.expiresIn * 1000) / 2) };
  }

  private remember(key: string, entry: Entry): void {
    if (entry.until <= Date.now()) return;
    // Oldest first out: a Map keeps insertion order.
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, entry);
  }
}
