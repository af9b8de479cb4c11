import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorCodes, type FastifyInstance, type RouteOptions } from 'fastify';
import { AppConfig } from '#platform';

/** Route config (`@RouteConfig(IMPORT_ROUTE)`) of the one route that takes import files. */
export const IMPORT_ROUTE = { catalogImport: true };

const TEXT_TYPES = ['text/csv', 'application/x-ndjson'];
/** An import answers once every product is written: a large file takes longer than IDLE_TIMEOUT_MS. */
const IMPORT_SOCKET_TIMEOUT_MS = 10 * 60_000;

const isImportRoute = (config: unknown) => (config as { catalogImport?: boolean } | undefined)?.catalogImport === true;

/**
 * Lets the import route take CSV and NDJSON bodies up to CATALOG_IMPORT_MAX_BYTES and run past the
 * idle timeout, while every other route keeps the platform's JSON-only parsers and limits. Runs in the constructor because Nest
 * creates providers before it registers routes, and an `onRoute` hook sees only later routes.
 */
@Injectable()
export class ImportBodySetup {
  constructor(adapterHost: HttpAdapterHost, config: AppConfig) {
    // A command's application context has no HTTP server.
    const app = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!app) return;
    const maxBytes = config.get('CATALOG_IMPORT_MAX_BYTES');
    app.addHook('onRoute', (route: RouteOptions) => {
      if (!isImportRoute(route.config)) return;
      route.bodyLimit = maxBytes;
      // Only once the body is in, so a client that stalls mid-upload still meets the idle timeout.
      route.preHandler = [...[route.preHandler ?? []].flat(), (request, _reply, done) => {
        request.raw.socket.setTimeout(IMPORT_SOCKET_TIMEOUT_MS);
        done();
      }];
    });
    app.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (request, body, done) => {
      if (isImportRoute(request.routeOptions.config)) done(null, body);
      else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])), undefined);
    });
  }
}
