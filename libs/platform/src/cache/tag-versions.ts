import type { Redis } from 'ioredis';
import { MicroBatcher } from '../database/micro-batcher.js';

/**
 * One counter per tag. An entry's storage key carries the versions of its tags, so bumping a tag
 * makes every entry under it unreachable at once, without finding or deleting them (they expire
 * by their TTL).
 */
export interface TagVersions {
  /** `tag=version` for each tag, in the given order: the part of the storage key that changes. */
  stamp(tags: readonly string[]): Promise<string>;
  /** Returns storage keys the caller should delete now (entries nothing expires, in memory). */
  bump(tags: readonly string[]): Promise<string[]>;
  /** Notes that `storageKey` was written under these tags (in memory only). */
  remember(tags: readonly string[], storageKey: string): void;
}

const stampOf = (tags: readonly string[], versions: readonly (string | number | null)[]) =>
  tags.map((tag, i) => `${tag}=${versions[i] ?? 0}`).join(',');

/**
 * Shared by every instance on the same Redis: `INCR <prefix>cache-tag:<tag>`. The versions asked
 * for in one turn of the event loop (a cart's pricing reads promotions and tax rates side by side,
 * and concurrent requests ask for the same tags) are read with one MGET.
 */
export class RedisTagVersions implements TagVersions {
  private readonly reads = new MicroBatcher<string, string | null>((tags) => this.readAll(tags));

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private keyOf(tag: string): string {
    return `${this.prefix}cache-tag:${tag}`;
  }

  async stamp(tags: readonly string[]): Promise<string> {
    if (tags.length === 0) return '';
    return stampOf(tags, await Promise.all(tags.map((tag) => this.reads.add(tag))));
  }

  private async readAll(tags: string[]): Promise<(string | null)[]> {
    const unique = [...new Set(tags)];
    const versions = await this.redis.mget(unique.map((tag) => this.keyOf(tag)));
    const byTag = new Map(unique.map((tag, i) => [tag, versions[i]]));
    return tags.map((tag) => byTag.get(tag) ?? null);
  }

  async bump(tags: readonly string[]): Promise<string[]> {
    const pipeline = this.redis.pipeline();
    for (const tag of tags) pipeline.incr(this.keyOf(tag));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return [];
  }

  remember(): void {}
}

/**
 * This process only, for the in-memory cache. Keyv's memory store drops an expired entry only when
 * it is read again, which an outdated version never is: the keys written under a tag are kept and
 * handed back on a bump, to be deleted.
 */
export class MemoryTagVersions implements TagVersions {
  private readonly versions = new Map<string, number>();
  private readonly written = new Map<string, Set<string>>();

  stamp(tags: readonly string[]): Promise<string> {
    return Promise.resolve(stampOf(tags, tags.map((tag) => this.versions.get(tag) ?? 0)));
  }

  bump(tags: readonly string[]): Promise<string[]> {
    const outdated = new Set<string>();
    for (const tag of tags) {
      this.versions.set(tag, (this.versions.get(tag) ?? 0) + 1);
      for (const key of this.written.get(tag) ?? []) outdated.add(key);
      this.written.delete(tag);
    }
    return Promise.resolve([...outdated]);
  }

  remember(tags: readonly string[], storageKey: string): void {
    for (const tag of tags) {
      let keys = this.written.get(tag);
      if (!keys) this.written.set(tag, (keys = new Set()));
      keys.add(storageKey);
    }
  }
}
