import type { ApiBreakers } from '../breaker/api-breakers.js';
import type { TrafficStats } from '../progress/traffic-stats.js';
import type { RouteTableHolder } from '../routing/route-table.holder.js';
import type { ShadowStats } from '../shadow/shadow-stats.js';
import type { AuditLog } from './audit-log.js';
import type { RouteEditor } from './route-editor.js';

/** The proxy's live state, made before the Nest app (the forwarding needs it too) and given to the admin API. */
export class ProxyRuntime {
  constructor(
    readonly holder: RouteTableHolder,
    readonly editor: RouteEditor,
    readonly audit: AuditLog,
    readonly shadow: ShadowStats,
    readonly breakers: ApiBreakers,
    readonly traffic: TrafficStats,
    readonly startedAt: Date,
    readonly promotion: { window: number; minMatchRate: number },
  ) {}
}
