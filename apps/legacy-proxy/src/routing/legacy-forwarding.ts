import { RouteTable } from './route-table.js';
import { UpstreamForwarding } from './upstream-forwarding.js';

export interface ForwardingOptions {
  legacyUrl: string;
  timeoutMs?: number;
}

const EMPTY_TABLE = new RouteTable([]);

/** Forwards everything to the legacy shop: the upstream forwarding with an empty route table and no API. */
export function legacyForwarding(options: ForwardingOptions): UpstreamForwarding {
  return new UpstreamForwarding({ ...options, apiUrl: options.legacyUrl, routes: () => EMPTY_TABLE });
}
