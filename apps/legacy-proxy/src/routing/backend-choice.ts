import type { IncomingHttpHeaders } from 'node:http';
import { backendOverride } from './backend-override.js';
import { canaryBucket, inCanary } from './canary-bucket.js';
import type { Backend, RoutingDecision } from './route-table.js';
import { shopperId } from './shopper-id.js';

export interface BackendChoice {
  backend: Backend;
  /** A tester's override decided. */
  forced: boolean;
  /** A shopper seen for the first time on a canary route: the id to set as the bucket cookie. */
  newShopperId?: string;
}

/**
 * The backend for one request: a tester's override (unless overrides are off), else the shopper's
 * canary bucket, else the route's mode.
 */
export function chooseBackend(decision: RoutingDecision, headers: IncomingHttpHeaders, allowOverride = true): BackendChoice {
  const forced = allowOverride ? backendOverride(headers) : null;
  if (forced) return { backend: forced, forced: true };
  if (!decision.canary) return { backend: decision.backend, forced: false };
  const shopper = shopperId(headers);
  const onApi = inCanary(canaryBucket(shopper.id, decision.canary.group), decision.canary.percent);
  return { backend: onApi ? 'api' : 'legacy', forced: false, ...(shopper.source === 'new' && { newShopperId: shopper.id }) };
}
