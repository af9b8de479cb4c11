import { randomUUID } from 'node:crypto';
import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type CacheReadResult, MetricsRegistry } from '../metrics/metrics.registry.js';
import { type OptionalRedis, REDIS } from '../redis/redis.module.js';
import { LocalEntries } from './local-entries.js';
import { MemoryTagVersions, RedisTagVersions, type TagVersions } from './tag-versions.js';

/**
 * Handed to a computation: other entries it produced on the way (a listing computes the detail of
 * every product it shows), stored with it under the same tags and the same versions, so they are
 * exactly as fresh as the value itself.
 */
export interface AlsoCache {
  store(key: string, value: unknown): void;
}

const ignore: AlsoCache = { store: () => undefined };

export interface ReadCacheOptions {
  /** Entry lifetime; `CACHE_TTL_MS` when omitted. */
  ttlMs?: number;
}

/** Where a value came from: the cache, our own computation, or another instance's. */
type Source = 'cache' | 'compute' | 'peer';
interface Loaded {
  value: unknown;
  source: Source;
}
/** Stored wrapped, so that `null` and `undefined` results are cached too. */
interface Entry {
  v: unknown;
}

/** A lock outlives a crashed holder by at most this long. */
const LOCK_TTL_MS = 5000;
/** Polls of the cache while another instance computes (~630 ms in all), then compute anyway. */
const PEER_POLLS_MS = [10, 20, 40, 80, 160, 320];
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const WARN_EVERY_MS = 10_000;

const storageKeyOf = (key: string, stamp: string) => `read:${key}#${stamp}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cache-aside for reads, on top of `CACHE_MANAGER`, with tag invalidation and single flight.
 * A Redis that is down or slow never fails a read: it is computed instead (see README, Caching).
 */
@Injectable()
export class ReadCache {
  private readonly logger = new Logger('ReadCache');
  private readonly inFlight = new Map<string, Promise<Loaded>>();
  private readonly versions: TagVersions;
  private readonly local: LocalEntries;
  private readonly defaultTtlMs: number;
  private readonly lockPrefix: string;
  private lastWarning = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS) private readonly redis: OptionalRedis,
    config: AppConfig,
    private readonly metrics: MetricsRegistry,
  ) {
    const prefix = config.get('REDIS_KEY_PREFIX');
    this.local = new LocalEntries(config.get('CACHE_LOCAL_ENTRIES'));
    this.defaultTtlMs = config.get('CACHE_TTL_MS');
    this.versions = redis ? new RedisTagVersions(redis, prefix) : new MemoryTagVersions();
    this.lockPrefix = `${prefix}cache-lock:`;
  }

  /**
   * The cached value of `key`, or `compute()`'s, stored until its TTL or until one of `tags` is
   * invalidated. The same key must always come with the same tags. Values must be plain JSON, and
   * are returned frozen: every reader in this process shares one copy (CACHE_LOCAL_ENTRIES of them).
   */
  async get<T>(key: string, tags: readonly string[], compute: (also: AlsoCache) => Promise<T>, options: ReadCacheOptions = {}): Promise<T> {
    const stamp = await this.stamp(tags);
    if (stamp === null) return this.record(key, 'miss', await compute(ignore));
    const storageKey = storageKeyOf(key, stamp);
    // The tag versions just read from Redis are in the key: a local entry under it is current.
    const local = this.local.get(storageKey);
    if (local) return this.record(key, 'hit', local.value as T);
    const running = this.inFlight.get(storageKey);
    if (running) {
      const { value, source } = await running;
      return this.record(key, source === 'cache' ? 'hit' : 'shared', value as T);
    }
    const loading = this.load(storageKey, tags, this.alsoStoring(stamp, tags, compute, options.ttlMs), options.ttlMs).finally(() => this.inFlight.delete(storageKey));
    this.inFlight.set(storageKey, loading);
    const { value, source } = await loading;
    this.local.set(storageKey, value, options.ttlMs ?? this.defaultTtlMs);
    return this.record(key, source === 'cache' ? 'hit' : source === 'peer' ? 'shared' : 'miss', value as T);
  }

  /**
   * Makes every entry stored under any of `tags` unreachable, here and in every instance sharing
   * Redis. Rejects when Redis cannot be reached: call it where a failure is retried (an
   * `@OnDomainEvent` listener), or accept staleness up to the entries' TTL.
   */
  async invalidate(...tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    const outdated = await this.versions.bump(tags);
    await Promise.all(outdated.map((storageKey) => this.cache.del(storageKey)));
  }

  /**
   * The current versions of `tags` as one string that changes whenever one of them is invalidated;
   * `null` when Redis is configured but unusable (then nothing may be cached).
   */
  async stamp(tags: readonly string[]): Promise<string | null> {
    if (this.redis && this.redis.status !== 'ready') return null;
    try {
      return await this.versions.stamp(tags);
    } catch (error) {
      this.warn('tag versions unavailable, reading through', error);
      return null;
    }
  }

  /** Counts a read answered from a cache outside this class (the HTTP response cache). */
  countHit(namespace: string): void {
    this.metrics.countCacheRead(namespace, 'hit');
  }

  /** `compute`, then the extra entries it handed over, written under the versions read before it ran. */
  private alsoStoring<T>(stamp: string, tags: readonly string[], compute: (also: AlsoCache) => Promise<T>, ttlMs?: number): () => Promise<T> {
    return async () => {
      const extra = new Map<string, unknown>();
      const value = await compute({ store: (key, entry) => extra.set(key, entry) });
      await Promise.all(
        [...extra].map(async ([key, entry]) => {
          const storageKey = storageKeyOf(key, stamp);
          this.local.set(storageKey, entry, ttlMs ?? this.defaultTtlMs);
          await this.write(storageKey, tags, entry, ttlMs);
        }),
      );
      return value;
    };
  }

  private async load(storageKey: string, tags: readonly string[], compute: () => Promise<unknown>, ttlMs?: number): Promise<Loaded> {
    const cached = await this.read(storageKey);
    if (cached) return { value: cached.v, source: 'cache' };
    const lock = await this.lock(storageKey);
    if (lock === 'busy') {
      const computedElsewhere = await this.waitForPeer(storageKey);
      if (computedElsewhere) return { value: computedElsewhere.v, source: 'peer' };
    } else if (lock) {
      // Another instance may have stored it and let go between our read and our lock.
      const stored = await this.read(storageKey);
      if (stored) {
        await this.unlock(storageKey, lock);
        return { value: stored.v, source: 'peer' };
      }
    }
    try {
      const value = await compute();
      await this.write(storageKey, tags, value, ttlMs);
      return { value, source: 'compute' };
    } finally {
      if (lock && lock !== 'busy') await this.unlock(storageKey, lock);
    }
  }

  private async read(storageKey: string): Promise<Entry | undefined> {
    try {
      const entry = await this.cache.get<Entry>(storageKey);
      return entry !== null && typeof entry === 'object' ? entry : undefined;
    } catch (error) {
      this.warn('cache read failed', error);
      return undefined;
    }
  }

  private async write(storageKey: string, tags: readonly string[], value: unknown, ttlMs?: number): Promise<void> {
    try {
      await this.cache.set<Entry>(storageKey, { v: value }, ttlMs);
      this.versions.remember(tags, storageKey);
    } catch (error) {
      this.warn('cache write failed', error);
    }
  }

  /** The lock's token when we hold it, `'busy'` when another instance does, `null` without Redis. */
  private async lock(storageKey: string): Promise<string | null> {
    if (!this.redis) return null;
    const token = randomUUID();
    try {
      const acquired = await this.redis.set(this.lockPrefix + storageKey, token, 'PX', LOCK_TTL_MS, 'NX');
      return acquired === 'OK' ? token : 'busy';
    } catch (error) {
      this.warn('lock unavailable, computing without it', error);
      return null;
    }
  }

  private async unlock(storageKey: string, token: string): Promise<void> {
    try {
      await this.redis?.eval(RELEASE, 1, this.lockPrefix + storageKey, token);
    } catch (error) {
      this.warn('lock release failed (it expires by itself)', error);
    }
  }

  private async waitForPeer(storageKey: string): Promise<Entry | undefined> {
    for (const ms of PEER_POLLS_MS) {
      await sleep(ms);
      const entry = await this.read(storageKey);
      if (entry) return entry;
    }
    return undefined;
  }

  /** Counted per namespace: the key up to its first colon. */
  private record<T>(key: string, result: CacheReadResult, value: T): T {
    this.metrics.countCacheRead(key.slice(0, Math.max(0, key.indexOf(':'))) || key, result);
    return value;
  }

  private warn(message: string, error: unknown): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(`${message}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
