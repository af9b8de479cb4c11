import { type RouteDefinition, UNMATCHED_ROUTE } from '../routing/route-table.js';
import { type TrafficCounts, type TrafficStats, WINDOWS, type WindowName } from './traffic-stats.js';

export interface WindowProgress {
  /** Every request the proxy forwarded in the window, and the share the API answered. */
  requests: TrafficCounts & { apiShare: number | null };
  /** Routes with traffic in the window (requests no route matched are not a route), and those the API answered most of. */
  routes: { withTraffic: number; servedByApi: number; share: number | null };
  perRoute: { route: string; mode: string | null; requests: number; api: number; legacy: number; errors: number; apiShare: number | null }[];
}

export interface MigrationProgress {
  at: string;
  /** In-memory counters: they start again at zero when the proxy restarts. */
  countingSince: string;
  /** What the route table says: routes whose mode sends traffic to the API (a canary by its percentage). */
  configured: { routes: number; onApi: number; share: number | null };
  windows: Record<WindowName, WindowProgress>;
}

const API_WEIGHT: Record<string, (route: RouteDefinition) => number> = {
  api: () => 1,
  'api-with-fallback': () => 1,
  canary: (route) => (route.percent ?? 0) / 100,
};

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The migration's progress per route and overall, over the last hour and day. */
export function migrationProgress(traffic: TrafficStats, routes: readonly RouteDefinition[], killSwitch: boolean, countingSince: Date): MigrationProgress {
  const modes = new Map(routes.map((route) => [route.name, route.mode as string]));
  const names = [...new Set([...routes.map((route) => route.name), ...traffic.knownRoutes])];
  const onApi = killSwitch ? 0 : routes.reduce((sum, route) => sum + (API_WEIGHT[route.mode]?.(route) ?? 0), 0);
  const windows = Object.fromEntries(
    (Object.keys(WINDOWS) as WindowName[]).map((window) => {
      const perRoute = names
        .map((route) => ({ route, mode: modes.get(route) ?? null, ...traffic.counts(route, window) }))
        .filter((row) => row.requests > 0 || row.mode !== null)
        .map(({ requests: total, ...row }) => ({ ...row, requests: total, apiShare: share(row.api, total) }));
      const total = perRoute.reduce((sum, row) => ({ requests: sum.requests + row.requests, api: sum.api + row.api, legacy: sum.legacy + row.legacy, errors: sum.errors + row.errors }), { requests: 0, api: 0, legacy: 0, errors: 0 });
      const withTraffic = perRoute.filter((row) => row.requests > 0 && row.route !== UNMATCHED_ROUTE);
      const servedByApi = withTraffic.filter((row) => row.api * 2 > row.requests).length;
      return [window, { requests: { ...total, apiShare: share(total.api, total.requests) }, routes: { withTraffic: withTraffic.length, servedByApi, share: share(servedByApi, withTraffic.length) }, perRoute }];
    }),
  ) as Record<WindowName, WindowProgress>;
  return {
    at: new Date().toISOString(),
    countingSince: countingSince.toISOString(),
    configured: { routes: routes.length, onApi, share: share(onApi, routes.length) },
    windows,
  };
}

/** The API's share per route and overall, for the `proxy_api_share_ratio` gauge. */
export function apiShares(progress: MigrationProgress): { route: string; window: string; share: number }[] {
  const label: Record<WindowName, string> = { hour: '1h', day: '24h' };
  return (Object.keys(progress.windows) as WindowName[]).flatMap((window) => {
    const { requests, perRoute } = progress.windows[window];
    const rows = perRoute.filter((row) => row.apiShare !== null).map((row) => ({ route: row.route, window: label[window], share: row.apiShare! }));
    return requests.apiShare === null ? rows : [...rows, { route: '_all', window: label[window], share: requests.apiShare }];
  });
}
