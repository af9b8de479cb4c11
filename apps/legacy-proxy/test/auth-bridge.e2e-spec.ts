// The auth bridge across a cutover: a shopper logs into the real PHP shop through the proxy, a
// route moves to the API, and the same session cookie reaches the real API as that customer.
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { createTestDatabase, eventually, type LegacyShop, startLegacyShop, type TestDatabase } from '#testing';
import { type RunningApi, startApi } from '../../api/test/e2e/api-harness.js';
import { accountTokens, adminClient } from './admin-client.js';
import { proxyWithRoutes, startRelay, type Upstream } from './proxy-harness.js';

const BRIDGE_KEY = 'legacy-bridge-key-for-tests';
const EXCHANGE_SECRET = 'proxy-exchange-secret-for-tests';
const ROUTES = `routes:
  - name: whoami
    methods: GET
    path: /api/v1/auth/whoami
    mode: legacy
`;

/** Logs in on the legacy shop (through the proxy) and returns the PHPSESSID it set. */
async function legacyLogin(baseUrl: string, email: string): Promise<string> {
  const page = await fetch(`${baseUrl}/index.php?route=account/login`);
  const first = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())![1]!;
  const login = await fetch(`${baseUrl}/index.php?route=account/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
    body: new URLSearchParams({ csrf_token: csrf, email, password: 'shop-demo-1' }).toString(),
  });
  expect(login.status).toBe(302);
  return /PHPSESSID=([^;]+)/.exec(login.headers.getSetCookie().join('\n'))![1]!;
}

describe('legacy proxy: auth bridge (real PHP shop, real API)', () => {
  let api: RunningApi & { db: TestDatabase };
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let db: TestDatabase;
  let shop: LegacyShop;
  let running: Awaited<ReturnType<typeof proxyWithRoutes>>;
  let admin: ReturnType<typeof adminClient>;
  const whoami = (headers: Record<string, string>) => fetch(`${running.proxy.url}/api/v1/auth/whoami`, { headers });
  const exchanges = () => relay.control.seen.filter((line) => line === 'POST /api/v1/auth/token-exchange').length;
  const accountId = async (email: string) => (await api.db.query('SELECT id FROM identity.accounts WHERE email = $1', [email])).rows[0]?.id as string | undefined;

  beforeAll(async () => {
    api = await startApi({ env: { PROXY_EXCHANGE_SECRET: EXCHANGE_SECRET } });
    relay = await startRelay(api.url);
    db = await createTestDatabase({ migrated: false });
    shop = await startLegacyShop({ databaseUrl: db.url, env: { LEGACY_BRIDGE_KEY: BRIDGE_KEY } });
    running = await proxyWithRoutes({ legacy: { url: shop.url } as Upstream, api: relay }, ROUTES, undefined, {
      LEGACY_BRIDGE_KEY: BRIDGE_KEY,
      PROXY_EXCHANGE_SECRET: EXCHANGE_SECRET,
    });
    admin = adminClient(running.proxy.url, (await accountTokens(api)).admin);
  });
  afterAll(async () => {
    await running?.close();
    await shop?.close();
    await db?.drop();
    await relay?.close();
    await api?.close();
  });

  it('keeps a legacy shopper logged in when the route moves to the API: the same customer, one exchange per session', async () => {
    const session = await legacyLogin(running.proxy.url, 'ann@example.com');
    const before = await whoami({ cookie: `PHPSESSID=${session}` });
    expect(before.headers.get('x-ficus-backend')).toBe('legacy');
    await before.arrayBuffer();
    expect((await admin.patch('whoami', { mode: 'api' })).status).toBe(200);

    const first = await whoami({ cookie: `PHPSESSID=${session}` });
    expect(first.headers.get('x-ficus-backend')).toBe('api');
    expect(first.status).toBe(200);
    const userId = ((await first.json()) as { userId: string }).userId;
    expect(userId).toBe(await accountId('ann@example.com')); // made for her now (create-or-link)
    const second = await whoami({ cookie: `other=1; PHPSESSID=${session}` });
    expect(((await second.json()) as { userId: string }).userId).toBe(userId);
    expect(exchanges()).toBe(1); // the token was cached for the session
  });

  it('links to the identity account that already has the legacy email', async () => {
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const bob = await identity.createAccount(anonymousContext('test'), { email: 'bob@example.com', password: 'bob has a new password', roles: ['customer'] });
    const session = await legacyLogin(running.proxy.url, 'bob@example.com');
    expect(((await (await whoami({ cookie: `PHPSESSID=${session}` })).json()) as { userId: string }).userId).toBe(bob.account.id);
  });

  it('goes on anonymous for an unknown or logged-out session, and never mints a token for it', async () => {
    const before = exchanges();
    const unknown = await whoami({ cookie: 'PHPSESSID=abcdefghijklmnopqrstuvwxyz012345' });
    expect(unknown.status).toBe(401);
    const malformed = await whoami({ cookie: 'PHPSESSID=../../etc/passwd' });
    expect(malformed.status).toBe(401);
    expect(exchanges()).toBe(before);
  });

  it('leaves a request that has its own Authorization alone, and never passes the bridge key or exchange secret on', async () => {
    const session = await legacyLogin(running.proxy.url, 'chloe@example.com');
    const before = exchanges();
    const own = await whoami({ cookie: `PHPSESSID=${session}`, authorization: 'Bearer not-a-token' });
    expect(own.status).toBe(401);
    expect(exchanges()).toBe(before);
    relay.control.answer = (req) => (req.url === '/api/v1/auth/whoami' ? { status: 200, body: { headers: req.headers } } : undefined);
    try {
      const echoed = await whoami({ cookie: `PHPSESSID=${session}`, 'x-legacy-bridge-key': BRIDGE_KEY, 'x-proxy-exchange-secret': EXCHANGE_SECRET });
      const { headers } = (await echoed.json()) as { headers: Record<string, string> };
      expect(headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(headers['x-legacy-bridge-key']).toBeUndefined();
      expect(headers['x-proxy-exchange-secret']).toBeUndefined();
    } finally {
      relay.control.answer = () => undefined;
    }
  });

  it("gives a shadow route's copy to the API the legacy session's bearer, so both answer as the same customer", async () => {
    const session = await legacyLogin(running.proxy.url, 'eve@example.com');
    expect((await admin.patch('whoami', { mode: 'shadow' })).status).toBe(200);
    const copies: { authorization?: string; shadow?: string }[] = [];
    relay.control.answer = (req) => {
      if (req.url !== '/api/v1/auth/whoami') return undefined;
      copies.push({ authorization: req.headers.authorization, shadow: req.headers['x-ficus-shadow'] as string | undefined });
      return { status: 200, body: {} };
    };
    try {
      const served = await whoami({ cookie: `PHPSESSID=${session}` });
      expect(served.headers.get('x-ficus-backend')).toBe('legacy');
      await served.arrayBuffer();
      await eventually(() => copies.length === 1);
      expect(copies[0]).toEqual({ authorization: expect.stringMatching(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/), shadow: '1' });
      // Without a legacy session the copy goes anonymous, as the request did.
      await (await whoami({})).arrayBuffer();
      await eventually(() => copies.length === 2);
      expect(copies[1]!.authorization).toBeUndefined();
    } finally {
      relay.control.answer = () => undefined;
      await admin.patch('whoami', { mode: 'legacy' });
    }
  });

  it("refuses the shop's bridge endpoint without the key, and never gives a bearer to legacy", async () => {
    const session = await legacyLogin(running.proxy.url, 'dmitri@example.com');
    for (const key of [undefined, 'wrong-key-wrong-key-wrong']) {
      const direct = await fetch(`${shop.url}/index.php?route=bridge/whoami`, { headers: { cookie: `PHPSESSID=${session}`, ...(key && { 'x-legacy-bridge-key': key }) } });
      expect(direct.status).toBe(403);
    }
    const keyed = await fetch(`${shop.url}/index.php?route=bridge/whoami`, { headers: { cookie: `PHPSESSID=${session}`, 'x-legacy-bridge-key': BRIDGE_KEY } });
    expect(await keyed.json()).toEqual({ id: expect.any(Number), email: 'dmitri@example.com' });
    // Through the proxy a client's key is dropped: the shop sees none.
    const viaProxy = await fetch(`${running.proxy.url}/index.php?route=bridge/whoami`, { headers: { cookie: `PHPSESSID=${session}`, 'x-legacy-bridge-key': BRIDGE_KEY } });
    expect(viaProxy.status).toBe(403);
  });
});
