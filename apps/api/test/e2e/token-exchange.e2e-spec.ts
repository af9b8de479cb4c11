import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body } from '#testing';
import { startApi } from './api-harness.js';

const SECRET = 'proxy-exchange-secret-for-tests';

describe('identity: token exchange for the legacy proxy (real HTTP, PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let identity: IdentityApi;

  const exchange = (payload: unknown, secret?: string) =>
    fetch(`${api.url}/api/v1/auth/token-exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined && { 'x-proxy-exchange-secret': secret }) },
      body: JSON.stringify(payload),
    });
  const whoami = (token: string) => fetch(`${api.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${token}` } });
  const accountCount = async () => Number((await api.db.query('SELECT count(*) AS n FROM identity.accounts')).rows[0].n);

  beforeAll(async () => {
    api = await startApi({ env: { PROXY_EXCHANGE_SECRET: SECRET, PROXY_EXCHANGE_TOKEN_TTL_S: '300', OUTBOX_POLL_INTERVAL_MS: '600000' } });
    identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
  });
  afterAll(() => api.close());

  it('answers 401 without the proxy secret and 403 with a wrong one, as problem+json, minting nothing', async () => {
    const before = await accountCount();
    const email = `nobody-${randomUUID()}@example.com`;
    const missing = await exchange({ legacyCustomerId: 1, email });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await body(missing)).toMatchObject({ code: 'IDENTITY.PROXY_SECRET_MISSING', requestId: expect.any(String) });
    const wrong = await exchange({ legacyCustomerId: 1, email }, `${SECRET}x`);
    expect(wrong.status).toBe(403);
    expect(await body(wrong)).toMatchObject({ code: 'IDENTITY.PROXY_SECRET_INVALID' });
    expect(await accountCount()).toBe(before);
  });

  it('refuses a malformed body (no email, bad id, unknown fields) with 400', async () => {
    for (const payload of [{ legacyCustomerId: 1 }, { legacyCustomerId: 0, email: 'a@example.com' }, { legacyCustomerId: 1, email: 'a@example.com', roles: ['admin'] }]) {
      expect((await exchange(payload, SECRET)).status).toBe(400);
    }
  });

  it('links an existing account by its email (any case): a 5-minute token for the API with its roles, no new account', async () => {
    const email = `linked-${randomUUID()}@example.com`;
    const { account } = await identity.createAccount(anonymousContext('test'), { email, password: 'a long enough password', roles: ['customer'] });
    const before = await accountCount();
    const response = await exchange({ legacyCustomerId: 7, email: email.toUpperCase() }, SECRET);
    expect(response.status).toBe(200);
    const answer = await body(response);
    expect(answer).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 300, accountId: account.id, created: false });
    const claims = jwt.decode(answer.accessToken) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: account.id, aud: 'ficus-api', roles: ['customer'] });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(await body(await whoami(answer.accessToken))).toEqual({ userId: account.id, roles: ['customer'] });
    expect(await accountCount()).toBe(before);
  });

  it('creates a customer account without a usable password for a new email, once; it cannot log in with a password', async () => {
    const email = `fresh-${randomUUID()}@example.com`;
    const first = await body(await exchange({ legacyCustomerId: 8, email }, SECRET));
    expect(first).toMatchObject({ created: true, accountId: expect.any(String) });
    const second = await body(await exchange({ legacyCustomerId: 8, email }, SECRET));
    expect(second).toMatchObject({ created: false, accountId: first.accountId });
    const { rows } = await api.db.query('SELECT roles, password_hash AS hash FROM identity.accounts WHERE email = $1', [email]);
    expect(rows).toEqual([{ roles: ['customer'], hash: expect.stringMatching(/^\$argon2id\$/) }]);
    const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: '' }) });
    expect(login.status).toBe(400);
  });

  it('refuses a disabled account with 403', async () => {
    const email = `disabled-${randomUUID()}@example.com`;
    const { account } = await identity.createAccount(anonymousContext('test'), { email, password: 'a long enough password', roles: ['customer'] });
    await api.db.query(`UPDATE identity.accounts SET status = 'disabled' WHERE id = $1`, [account.id]);
    const response = await exchange({ legacyCustomerId: 9, email }, SECRET);
    expect(response.status).toBe(403);
    expect(await body(response)).toMatchObject({ code: 'IDENTITY.ACCOUNT_DISABLED' });
  });
});

describe('identity: token exchange without PROXY_EXCHANGE_SECRET', () => {
  it('is off: every call is 403, even one sending an empty-looking secret', async () => {
    const api = await startApi();
    try {
      const response = await fetch(`${api.url}/api/v1/auth/token-exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-proxy-exchange-secret': 'anything at all here' },
        body: JSON.stringify({ legacyCustomerId: 1, email: 'ann@example.com' }),
      });
      expect(response.status).toBe(403);
    } finally {
      await api.close();
    }
  });
});
