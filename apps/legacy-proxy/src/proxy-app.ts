import { existsSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, type Env, MetricsRegistry, type PlatformOptions, ROOT_LOGGER } from '#platform';
import { ProxyModule } from './proxy.module.js';
import { DEFAULT_ROUTES_FILE, readRouteFileSync } from './routing/route-file.js';
import { RouteMetrics } from './routing/route-metrics.js';
import { RouteTable } from './routing/route-table.js';
import { RouteTableHolder } from './routing/route-table.holder.js';
import { registerRouteTableEndpoint } from './routing/route-table.endpoint.js';
import { registerUpstreamForwarding } from './routing/upstream-forwarding.js';

const RELOAD_DEBOUNCE_MS = 100;

/**
 * The strangler proxy: its own routes (health, metrics) and everything else forwarded to the
 * legacy shop or the new API as the route table says. Throws RouteFileError on an invalid table.
 */
export async function createProxyApp(options: PlatformOptions): Promise<NestFastifyApplication> {
  const { env } = options;
  const initial = loadInitialRoutes(env);
  const app = await createHttpApp(ProxyModule.register(options), { env, prefix: null, securityHeaders: false, jsonOnly: false });
  const fastify = app.getHttpAdapter().getInstance();
  const logger = app.get(ROOT_LOGGER).child({ context: 'RouteTable' });
  const holder = new RouteTableHolder(initial.file, initial, logger);
  if (initial.watch) holder.watch(RELOAD_DEBOUNCE_MS);
  else logger.warn(`no route file at ${initial.file}: every request goes to legacy (set PROXY_ROUTES_FILE)`);
  fastify.addHook('onClose', (_instance, done) => {
    holder.close();
    done();
  });
  if (env.PROXY_EXPOSE_ROUTES) registerRouteTableEndpoint(fastify, holder);
  await registerUpstreamForwarding(fastify, {
    legacyUrl: env.LEGACY_URL,
    apiUrl: env.API_URL,
    routes: () => holder.current,
    metrics: new RouteMetrics(app.get(MetricsRegistry).registry),
  });
  return app;
}

/** An explicitly named file must exist; the default may be missing (an image built without it), meaning all legacy. */
function loadInitialRoutes(env: Env): { file: string; table: RouteTable; text: string; watch: boolean } {
  const file = env.PROXY_ROUTES_FILE ?? DEFAULT_ROUTES_FILE;
  if (env.PROXY_ROUTES_FILE === undefined && !existsSync(file)) return { file, table: new RouteTable([]), text: '', watch: false };
  return { file, ...readRouteFileSync(file), watch: true };
}
