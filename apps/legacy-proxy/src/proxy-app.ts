import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, type PlatformOptions } from '#platform';
import { ProxyModule } from './proxy.module.js';
import { registerLegacyForwarding } from './routing/legacy-forwarding.js';

/** The strangler proxy: its own routes (health, metrics) and everything else forwarded to legacy. */
export async function createProxyApp(options: PlatformOptions): Promise<NestFastifyApplication> {
  const app = await createHttpApp(ProxyModule.register(options), {
    env: options.env,
    prefix: null,
    securityHeaders: false,
    jsonOnly: false,
  });
  await registerLegacyForwarding(app.getHttpAdapter().getInstance(), { legacyUrl: options.env.LEGACY_URL });
  return app;
}
