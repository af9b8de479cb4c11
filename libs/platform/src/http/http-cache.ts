import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, type OnModuleInit, UseInterceptors } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ReadCache } from '../cache/read-cache.js';
import { AppConfig } from '../config/app-config.js';
import { ifNoneMatchHits, strongEtag } from './etag.js';
import { ResponseCache, servedFromResponseCache } from './response-cache.js';

export { ifNoneMatchHits, strongEtag } from './etag.js';

export interface HttpCacheOptions {
  /** Seconds a cache may serve the response without asking again; `HTTP_CACHE_MAX_AGE_S` by default. */
  maxAge?: number;
  /** Seconds a cache may serve it stale while it revalidates; `HTTP_CACHE_SWR_S` by default. */
  staleWhileRevalidate?: number;
  /** Request headers the response depends on, besides `Accept-Encoding` (e.g. `Accept-Language`). */
  vary?: string[];
  /**
   * The ReadCache tags of what the response shows. With them, anonymous GETs are also answered
   * from this process's memory before routing while those tags keep their versions (ResponseCache).
   */
  tags?: readonly string[];
}

export interface HttpCacheDefaults {
  maxAge: number;
  staleWhileRevalidate: number;
}

const MARK = Symbol('ficus:http-cache');
type MarkedRequest = FastifyRequest & { [MARK]?: HttpCacheOptions };

class HttpCacheInterceptor implements NestInterceptor {
  constructor(private readonly options: HttpCacheOptions) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getRequest<MarkedRequest>()[MARK] = this.options;
    return next.handle();
  }
}

/**
 * A public read that CDNs and browsers may cache: a strong `ETag` (hash of the body), `304` when
 * `If-None-Match` matches, `Cache-Control: public, max-age, stale-while-revalidate`, `Vary`.
 * A request with an `Authorization` header gets `private` instead of `public`. Only `200`
 * answers to GET and HEAD are touched; errors keep their own headers.
 */
export const HttpCache = (options: HttpCacheOptions = {}) => UseInterceptors(new HttpCacheInterceptor(options));

function cacheControl(options: HttpCacheOptions, defaults: HttpCacheDefaults, authorized: boolean): string {
  const maxAge = options.maxAge ?? defaults.maxAge;
  const swr = options.staleWhileRevalidate ?? defaults.staleWhileRevalidate;
  return `${authorized ? 'private' : 'public'}, max-age=${maxAge}, stale-while-revalidate=${swr}`;
}

function varyWith(current: ReturnType<FastifyReply['getHeader']>, extra: string[]): string {
  const names = [...String(current ?? '').split(','), 'Accept-Encoding', ...extra].map((name) => name.trim()).filter(Boolean);
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase())).join(', ');
}

/** The `onSend` hook that does the work on the serialised body of marked requests. */
export function installHttpCache(fastify: FastifyInstance, defaults: HttpCacheDefaults, responses?: ResponseCache): void {
  responses?.install(fastify);
  fastify.addHook('onSend', (request: MarkedRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    if (servedFromResponseCache(request)) return done(null, payload);
    const options = request[MARK];
    const cacheable = reply.statusCode === 200 && (request.method === 'GET' || request.method === 'HEAD');
    if (!options || !cacheable || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return done(null, payload);
    const etag = strongEtag(payload);
    reply.header('etag', etag);
    reply.header('cache-control', cacheControl(options, defaults, request.headers.authorization !== undefined));
    reply.header('vary', varyWith(reply.getHeader('vary'), options.vary ?? []));
    responses?.store(request, reply, options.tags, payload.toString());
    if (!ifNoneMatchHits(request.headers['if-none-match'], etag)) return done(null, payload);
    reply.code(304);
    reply.removeHeader('content-length');
    reply.removeHeader('content-type');
    done(null, '');
  });
}

/** Installs the hook on the Fastify app at startup; a Nest app on another adapter (or none) is left alone. */
@Injectable()
export class HttpCacheHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly reads: ReadCache,
  ) {}

  onModuleInit(): void {
    const instance: unknown = this.adapterHost.httpAdapter?.getInstance?.();
    if (!instance || typeof (instance as FastifyInstance).addHook !== 'function') return;
    const responses = new ResponseCache(this.reads, this.config.get('CACHE_LOCAL_ENTRIES'), this.config.get('CACHE_TTL_MS'));
    installHttpCache(
      instance as FastifyInstance,
      { maxAge: this.config.get('HTTP_CACHE_MAX_AGE_S'), staleWhileRevalidate: this.config.get('HTTP_CACHE_SWR_S') },
      responses,
    );
  }
}
