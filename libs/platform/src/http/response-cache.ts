import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReadCache } from '../cache/read-cache.js';
import { LocalEntries } from '../cache/local-entries.js';
import { ifNoneMatchHits } from './etag.js';

/** A response as it was sent: replayed byte for byte while its tags keep their versions. */
interface StoredResponse {
  stamp: string;
  body: string;
  headers: Record<string, string>;
}

const PENDING = Symbol('ficus:response-cache');
const SERVED = Symbol('ficus:response-cache-hit');
type PendingRequest = FastifyRequest & { [PENDING]?: { stamp: string; tags: readonly string[] }; [SERVED]?: true };

/**
 * Anonymous GETs of `@HttpCache({ tags })` routes, answered from this process's memory before
 * Nest routes them (no guards, no rate limit, no handler), as a CDN in front would: the entry is
 * used only while the versions of its tags in Redis are the ones it was computed under, so an
 * invalidation anywhere retires it at once. The versions are read before the handler runs, so a
 * response computed across an invalidation is stored under the older versions and never served.
 */
export class ResponseCache {
  private readonly entries: LocalEntries;
  /** Tags by route pattern, learnt from the first response of each route. */
  private readonly routeTags = new Map<string, readonly string[]>();

  constructor(
    private readonly reads: ReadCache,
    maxEntries: number,
    private readonly ttlMs: number,
  ) {
    this.entries = new LocalEntries(maxEntries);
  }

  install(fastify: FastifyInstance): void {
    // Synchronous for every request the cache has nothing for: an async hook costs each one a promise.
    fastify.addHook('onRequest', (request: PendingRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (request.method !== 'GET' || request.headers.authorization !== undefined) return done();
      const tags = this.routeTags.get(request.routeOptions.url ?? '');
      if (!tags) return done();
      this.answer(request, reply, tags).then((answered) => answered || done(), done);
    });
  }

  /** Sends the stored response when its tags' versions are unchanged (true); else marks the request for storing. */
  private async answer(request: PendingRequest, reply: FastifyReply, tags: readonly string[]): Promise<boolean> {
    const stamp = await this.reads.stamp(tags);
    if (stamp === null) return false;
    const stored = this.entries.get(request.url)?.value as StoredResponse | undefined;
    if (stored?.stamp !== stamp) {
      request[PENDING] = { stamp, tags };
      return false;
    }
    this.reads.countHit(namespaceOf(tags));
    request[SERVED] = true;
    reply.headers(stored.headers);
    if (ifNoneMatchHits(request.headers['if-none-match'], stored.headers.etag!)) void reply.code(304).send('');
    else void reply.send(stored.body);
    return true;
  }

  /** From the `onSend` hook: keeps a 200 of a route with tags, computed under the versions read on the way in. */
  store(request: FastifyRequest, reply: FastifyReply, tags: readonly string[] | undefined, body: string): void {
    if (!tags || tags.length === 0 || request.method !== 'GET' || request.headers.authorization !== undefined) return;
    this.routeTags.set(request.routeOptions.url ?? '', tags);
    const pending = (request as PendingRequest)[PENDING];
    if (!pending || reply.statusCode !== 200) return;
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'etag', 'cache-control', 'vary']) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    this.entries.set(request.url, { stamp: pending.stamp, body, headers } satisfies StoredResponse, this.ttlMs);
  }

}

/** True when the reply was answered from the response cache: its headers are final already. */
export const servedFromResponseCache = (request: FastifyRequest) => (request as PendingRequest)[SERVED] === true;

const namespaceOf = (tags: readonly string[]) => tags[0]!.split(':')[0]!;
