import { randomUUID } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import { type CallContext, anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { AuthModule, Caller, CorePlatformModule, createHttpApp, Roles } from '#platform';
import { body, listen, testEnv } from '#testing';
import { startApi } from './api-harness.js';

// The verifier owns no data; the shared schema still wants a URL.
const NO_DATABASE = 'postgres://unused@127.0.0.1/unused';

@Controller('verifier')
class VerifierController {
  @Get('whoami')
  whoami(@Caller() ctx: CallContext) {
    return { userId: ctx.userId, roles: ctx.roles };
  }

  @Get('admin') @Roles('admin')
  admin() {
    return { ok: true };
  }
}

@Module({ controllers: [VerifierController] })
class VerifierModule {}

/** Another app (as the legacy proxy or a split-out context will be): no key of its own, only the issuer's JWKS. */
async function startVerifier(jwksUrl: string): Promise<{ app: NestFastifyApplication; url: string; close(): Promise<void> }> {
  const env = testEnv({ DATABASE_URL: NO_DATABASE, JWT_SIGNING_KEY: undefined, JWT_JWKS_URL: jwksUrl });
  const root = { module: class VerifierRoot {}, imports: [CorePlatformModule.forRoot({ env }), AuthModule, VerifierModule] };
  const app = await createHttpApp(root, { env, prefix: null });
  const running = await listen(app);
  return { app, ...running };
}

describe('verifying access tokens with the JWKS alone (a second app with no key)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let verifier: Awaited<ReturnType<typeof startVerifier>>;

  beforeAll(async () => {
    api = await startApi();
    verifier = await startVerifier(`${api.url}/.well-known/jwks.json`);
  });
  afterAll(async () => {
    await verifier?.close();
    await api?.close();
  });

  it('accepts a token the API issued, with its claims and roles, and refuses a tampered or missing one', async () => {
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const { account, tokens } = await identity.createAccount(anonymousContext('t'), { email: `v-${randomUUID()}@example.com`, password: 'verifier password' });
    const call = (path: string, token?: string) => fetch(`${verifier.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    const ok = await call('/verifier/whoami', tokens.accessToken);
    expect(ok.status).toBe(200);
    expect(await body(ok)).toEqual({ userId: account.id, roles: ['customer'] });
    expect((await call('/verifier/admin', tokens.accessToken)).status).toBe(403);
    expect((await call('/verifier/whoami')).status).toBe(401);

    const [header, payload, signature] = tokens.accessToken.split('.');
    const forged = JSON.stringify({ ...(jwt.decode(tokens.accessToken) as object), roles: ['customer', 'admin'] });
    const tampered = `${header}.${Buffer.from(forged).toString('base64url')}.${signature}`;
    expect(payload).not.toBe(Buffer.from(forged).toString('base64url'));
    expect((await call('/verifier/admin', tampered)).status).toBe(401);
  });

  it('refuses to boot without a key and without a JWKS URL, naming the variable', async () => {
    const env = testEnv({ DATABASE_URL: NO_DATABASE, REDIS_URL: '', JWT_SIGNING_KEY: undefined });
    const compiling = Test.createTestingModule({ imports: [CorePlatformModule.forRoot({ env }), AuthModule] }).compile();
    await expect(compiling).rejects.toThrow(/JWT_JWKS_URL: is required/);
  });
});
