import { createTestDatabase, type LegacyShop, type LogCapture, startLegacyShop, type TestDatabase } from '#testing';
import { type RunningApi, startApi } from '../../api/test/e2e/api-harness.js';
import { accountTokens, adminClient } from './admin-client.js';
import { proxyWithRoutes, startRelay, type Upstream } from './proxy-harness.js';

export interface RealStack {
  api: RunningApi;
  /** In front of the API: the proxy's API_URL (and so its JWKS) goes through it. */
  relay: Awaited<ReturnType<typeof startRelay>>;
  db: TestDatabase;
  shop: LegacyShop;
  running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  tokens: Awaited<ReturnType<typeof accountTokens>>;
  admin: ReturnType<typeof adminClient>;
  close(): Promise<void>;
}

/** The real API (behind a relay), the real PHP shop on its own database, and a proxy with its own route file in front of both. */
export async function startRealStack(routes: string, env: Record<string, string> = {}, logs?: LogCapture): Promise<RealStack> {
  const stack = {} as RealStack;
  stack.close = async () => {
    if (stack.relay) stack.relay.control.hold = null;
    await stack.running?.close();
    await stack.shop?.close();
    await stack.db?.drop();
    await stack.relay?.close();
    await stack.api?.close();
  };
  try {
    stack.api = await startApi();
    stack.relay = await startRelay(stack.api.url);
    stack.db = await createTestDatabase({ migrated: false });
    stack.shop = await startLegacyShop({ databaseUrl: stack.db.url });
    stack.running = await proxyWithRoutes({ legacy: { url: stack.shop.url } as Upstream, api: stack.relay }, routes, logs, env);
    stack.tokens = await accountTokens(stack.api);
    stack.admin = adminClient(stack.running.proxy.url, stack.tokens.admin);
    return stack;
  } catch (error) {
    await stack.close();
    throw error;
  }
}
