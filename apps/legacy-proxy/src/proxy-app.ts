import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, type Env, MetricsRegistry, type PlatformOptions, PROBLEM_CONTENT_TYPE, problemType, recordAnsweredRequest, ROOT_LOGGER } from '#platform';
import { type Actor, AuditLog } from './admin/audit-log.js';
import { auditFileEdits } from './admin/file-edit-audit.js';
import { ProxyRuntime } from './admin/proxy-runtime.js';
import { RouteEditor } from './admin/route-editor.js';
import { AuthBridge } from './bridge/auth-bridge.js';
import { ApiBreakers, type BreakerChange } from './breaker/api-breakers.js';
import { ProxyModule } from './proxy.module.js';
import { apiShares, migrationProgress } from './progress/migration-progress.js';
import { TrafficStats } from './progress/traffic-stats.js';
import { DEFAULT_ROUTES_FILE, readRouteFileSync } from './routing/route-file.js';
import { RouteMetrics } from './routing/route-metrics.js';
import { RouteTable } from './routing/route-table.js';
import { RouteTableHolder } from './routing/route-table.holder.js';
import { registerRouteTableEndpoint } from './routing/route-table.endpoint.js';
import { answerClientErrors } from './routing/client-errors.js';
import { PROXY_ONLY_HEADERS } from './routing/forwarded-headers.js';
import { OwnRoutes, serveOwnRoutesOnly } from './routing/own-routes.js';
import { UpstreamForwarding } from './routing/upstream-forwarding.js';
import { tunnelWebsockets } from './routing/websocket-tunnel.js';
import { ShadowMirror } from './shadow/shadow-mirror.js';
import { ShadowStats } from './shadow/shadow-stats.js';
import { ShadowStatsFile } from './shadow/shadow-stats.file.js';

const RELOAD_DEBOUNCE_MS = 100;
export const AUDIT_LOG_NAME = 'routes.audit.jsonl';
/** Next to the audit log: the shadow results, kept across restarts. */
export const SHADOW_STATS_NAME = 'routes.shadow.json';

/**
 * The strangler proxy: its own routes (health, metrics, admin) in Nest on Fastify, and everything
 * else forwarded below them, straight from node:http, to the legacy shop or the new API as the
 * route table says. Throws RouteFileError on an invalid table.
 */
export async function createProxyApp(options: PlatformOptions): Promise<NestFastifyApplication> {
  const env = verifyingWithJwks(options.env);
  const initial = loadInitialRoutes(env);
  const holder = new RouteTableHolder(initial.file, initial);
  const audit = new AuditLog(env.PROXY_AUDIT_LOG_FILE ?? join(dirname(initial.file), AUDIT_LOG_NAME));
  const promotion = { window: env.PROXY_PROMOTION_WINDOW, minMatchRate: env.PROXY_PROMOTION_MIN_MATCH_RATE };
  const shadowStats = new ShadowStats({ ...promotion, samples: env.PROXY_SHADOW_SAMPLES });
  const traffic = new TrafficStats();
  let onBreakerChange: (change: BreakerChange) => void = () => undefined;
  const breakers = new ApiBreakers(
    {
      errorRate: env.PROXY_BREAKER_ERROR_RATE,
      p99Ms: env.PROXY_BREAKER_P99_MS,
      windowMs: env.PROXY_BREAKER_WINDOW_MS,
      minRequests: env.PROXY_BREAKER_MIN_REQUESTS,
      openMs: env.PROXY_BREAKER_OPEN_MS,
      probes: env.PROXY_BREAKER_PROBES,
    },
    (change) => onBreakerChange(change),
  );
  const editor = new RouteEditor(holder, audit, (route) => shadowStats.gate(route));
  const runtime = new ProxyRuntime(holder, editor, audit, shadowStats, breakers, traffic, new Date(), promotion);

  const app = await createHttpApp(ProxyModule.register({ ...options, env }, runtime), { env, prefix: null, securityHeaders: false, jsonOnly: false });
  const fastify = app.getHttpAdapter().getInstance();
  const ownRoutes = new OwnRoutes(fastify);
  const rootLogger = app.get(ROOT_LOGGER);
  const tableLogger = rootLogger.child({ context: 'RouteTable' });
  holder.logger = tableLogger;
  holder.onReloaded = auditFileEdits(audit, (route) => shadowStats.gate(route), tableLogger);
  if (initial.watch) holder.watch(RELOAD_DEBOUNCE_MS);
  else tableLogger.warn(`no route file at ${initial.file}: every request goes to legacy (set PROXY_ROUTES_FILE)`);
  const platformMetrics = app.get(MetricsRegistry);
  const metrics = new RouteMetrics(platformMetrics.registry);
  metrics.trackApiShare(() => apiShares(migrationProgress(traffic, holder.current.routes, holder.current.killSwitch, runtime.startedAt)));
  onBreakerChange = reportBreakerChanges(rootLogger.child({ context: 'ApiBreaker' }), metrics, audit);
  const shadowFile = new ShadowStatsFile(join(dirname(audit.file), SHADOW_STATS_NAME), shadowStats, rootLogger.child({ context: 'Shadow' }));
  shadowFile.load();
  shadowFile.start();
  const bridge = authBridge(env, rootLogger.child({ context: 'AuthBridge' }));
  const shadow = new ShadowMirror({
    apiUrl: env.API_URL,
    maxConcurrency: env.PROXY_SHADOW_MAX_CONCURRENCY,
    maxBodyBytes: env.PROXY_SHADOW_MAX_BODY_BYTES,
    timeoutMs: env.PROXY_SHADOW_TIMEOUT_MS,
    stats: shadowStats,
    logger: rootLogger.child({ context: 'Shadow' }),
    onOutcome: (route, outcome) => metrics.countShadow(route, outcome),
    bearer: bridge && ((cookies) => bridge.tokenForCookies(cookies)),
  });
  const forwarding = new UpstreamForwarding({
    legacyUrl: env.LEGACY_URL,
    apiUrl: env.API_URL,
    routes: () => holder.current,
    metrics,
    shadow,
    breakers,
    traffic,
    bridge,
    allowOverride: env.PROXY_OVERRIDE === 'on',
    trustProxy: env.TRUST_PROXY,
    onAnswered: (answered) => recordAnsweredRequest(rootLogger, platformMetrics, answered),
    logger: rootLogger.child({ context: 'Forwarding' }),
  });
  fastify.addHook('onClose', async () => {
    holder.close();
    await forwarding.close();
    await shadow.close();
    await shadowFile.close();
  });
  if (env.PROXY_EXPOSE_ROUTES) registerRouteTableEndpoint(fastify, holder);
  reserveAdminPaths(fastify);
  // Forwarded requests never enter Fastify or Nest: their cost per request is the forwarding's.
  serveOwnRoutesOnly(fastify.server, ownRoutes, forwarding.handle);
  tunnelWebsockets(fastify.server, {
    bases: { legacy: env.LEGACY_URL.replace(/\/+$/, ''), api: env.API_URL.replace(/\/+$/, '') },
    routes: () => holder.current,
    allowOverride: env.PROXY_OVERRIDE === 'on',
    dropHeaders: PROXY_ONLY_HEADERS,
  });
  answerClientErrors(fastify.server);
  return app;
}

/**
 * The proxy holds no signing key: admin tokens are verified with the API's published keys
 * (JWT_JWKS_URL, by default the API's /.well-known/jwks.json), never with a local key.
 */
function verifyingWithJwks(env: Env): Env {
  const jwks = env.JWT_JWKS_URL ?? `${env.API_URL.replace(/\/+$/, '')}/.well-known/jwks.json`;
  return { ...env, JWT_SIGNING_KEY: undefined, JWT_SIGNING_KEY_FILE: undefined, JWT_VERIFY_KEY_FILES: [], JWT_JWKS_URL: jwks };
}

/** On when both shared secrets are set: the legacy shop's bridge key and identity's exchange secret. */
function authBridge(env: Env, logger: Logger): AuthBridge | undefined {
  if (!env.LEGACY_BRIDGE_KEY || !env.PROXY_EXCHANGE_SECRET) return undefined;
  return new AuthBridge({
    legacyUrl: env.LEGACY_URL.replace(/\/+$/, ''),
    apiUrl: env.API_URL.replace(/\/+$/, ''),
    bridgeKey: env.LEGACY_BRIDGE_KEY,
    exchangeSecret: env.PROXY_EXCHANGE_SECRET,
    cacheMs: env.PROXY_BRIDGE_CACHE_S * 1000,
    logger,
  });
}

/** A breaker that trips or recovers is logged, shown in the metrics and written to the audit log. */
function reportBreakerChanges(logger: Logger, metrics: RouteMetrics, audit: AuditLog) {
  return (change: BreakerChange) => {
    const level = change.to === 'open' ? 'warn' : 'info';
    logger[level]({ route: change.route, from: change.from, to: change.to, by: change.by }, `API breaker of route ${change.route} ${change.from} -> ${change.to}: ${change.reason}`);
    metrics.breakerChanged(change.route, change.to);
    const who: Actor = change.by === 'breaker' ? { system: 'breaker' } : { sub: change.by };
    audit
      .append({ who, action: 'breaker', route: change.route, before: { breaker: change.from }, after: { breaker: change.to }, reason: change.reason })
      .catch((error: unknown) => logger.error({ err: error, file: audit.file }, 'could not write the audit log'));
  };
}

/**
 * Paths under /_proxy/admin that no admin route takes (a typo, a wrong method) answer 404 here
 * rather than travel to legacy, with an admin's token on them.
 */
function reserveAdminPaths(fastify: FastifyInstance): void {
  const notFound = (request: { url: string; id: unknown }) => ({
    type: problemType('not found'),
    title: 'Not Found',
    status: 404,
    detail: `No admin route ${request.url.split('?')[0]}`,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    code: 'PROXY.ADMIN_ROUTE_NOT_FOUND',
  });
  for (const path of ['/_proxy/admin', '/_proxy/admin/*']) fastify.all(path, async (request, reply) => reply.code(404).type(PROBLEM_CONTENT_TYPE).send(notFound(request)));
}

/** An explicitly named file must exist; the default may be missing (an image built without it), meaning all legacy. */
function loadInitialRoutes(env: Env): { file: string; table: RouteTable; text: string; watch: boolean } {
  const file = env.PROXY_ROUTES_FILE ?? DEFAULT_ROUTES_FILE;
  if (env.PROXY_ROUTES_FILE === undefined && !existsSync(file)) return { file, table: new RouteTable([]), text: '', watch: false };
  return { file, ...readRouteFileSync(file), watch: true };
}
