import type { FastifyInstance } from 'fastify';
import { RouteTable } from './route-table.js';
import { registerUpstreamForwarding } from './upstream-forwarding.js';

export interface ForwardingOptions {
  legacyUrl: string;
  timeoutMs?: number;
}

const EMPTY_TABLE = new RouteTable([]);

/** Forwards everything to the legacy shop: the upstream forwarding with an empty route table and no API. */
export async function registerLegacyForwarding(fastify: FastifyInstance, options: ForwardingOptions): Promise<void> {
  await registerUpstreamForwarding(fastify, { ...options, apiUrl: options.legacyUrl, routes: () => EMPTY_TABLE });
}
