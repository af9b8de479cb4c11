import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorCodes, type FastifyInstance, type RouteOptions } from 'fastify';
import { AppConfig } from '#platform';

/** Route config (`@RouteConfig(IMPORT_ROUTE)`) of the one route that takes import files. */
export const IMPORT_ROUTE = { catalogImport: true };

const TEXT_TYPES = ['text/csv', 'application/x-ndjson'];

const isImportRoute = (config: unknown) => (config as { catalogImport?: boolean } | undefined)?.catalogImport === true;

/**
 * Lets the import route take CSV and NDJSON bodies up to CATALOG_IMPORT_MAX_BYTES, while every other
 * route keeps the platform's JSON-only parsers and body limit. Runs in the constructor because Nest
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
      if (isImportRoute(route.config)) route.bodyLimit = maxBytes;
    });
    app.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (request, body, done) => {
      if (isImportRoute(request.routeOptions.config)) done(null, body);
      else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])), undefined);
    });
  }
}
