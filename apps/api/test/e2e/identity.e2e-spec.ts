import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { ACCESS_RECHECK_MS, DOMAIN_EVENTS_QUEUE, JwtKeySet, MetricsRegistry } from '#platform';
import { body, eventually, testRedisUrl, testSigningKey } from '#testing';
import { startApi } from './api-harness.js';
import { forgedTokens } from './identity-tokens.js';

const PASSWORD = 'correct horse battery';
const REDIS_PREFIX = `${process.env.FICUS_TEST_REDIS_PREFIX}identity-e2e:`;

describe('identity: tokens, refresh rotation, password reset, roles (real HTTP, PostgreSQL, Redis)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let identity: IdentityApi;

  const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  const get = (path: string, token?: string) => fetch(`${api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const login = (email: string, password = PASSWORD, headers: Record<string, string> = {}) => post('/auth/login', { email, password }, headers);

  /** A fresh account through the identity contract (registration with a profile is the customers context's). */
  async function account(roles: ('customer' | 'admin')[] = ['customer']) {
    const email = `user-${randomUUID()}@example.com`;
    const created = await identity.createAccount(anonymousContext('test'), { email, password: PASSWORD, roles });
    return { email, id: created.account.id, tokens: created.tokens };
  }

  beforeAll(async () => {
    api = await startApi({
      env: {
        // No background polling while the stateless test counts queries.
        OUTBOX_POLL_INTERVAL_MS: '600000',
        REDIS_KEY_PREFIX: REDIS_PREFIX,
        LOGIN_LIMIT_PER_ACCOUNT: '5',
        LOGIN_LIMIT_PER_IP: '1000',
      },
    });
    identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
  });
  afterAll(() => api.close());

  describe('login', () => {
    it('answers a token pair for the right password, whatever the email case and spacing', async () => {
      const { email } = await account();
      const response = await login(`  ${email.toUpperCase()} `);
      expect(response.status).toBe(200);
      const pair = await body(response);
      expect(pair).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      const claims = jwt.decode(pair.accessToken, { complete: true });
      expect(claims?.header).toMatchObject({ alg: 'RS256', kid: api.app.get(JwtKeySet).jwks().keys[0]?.kid });
      expect(claims?.payload).toMatchObject({ roles: ['customer'], iss: 'ficus', aud: 'ficus-api', nbf: expect.any(Number) });
      expect((claims?.payload as jwt.JwtPayload).exp! - (claims?.payload as jwt.JwtPayload).iat!).toBe(900);
    });

    it('answers an unknown email and a wrong password with the same 401, after the same argon2 work', async () => {
      const { email } = await account();
      const timed = async (e: string, p: string) => {
        const t0 = performance.now();
        const response = await login(e, p);
        return { ms: performance.now() - t0, status: response.status, problem: await body(response) };
      };
      const unknown: Awaited<ReturnType<typeof timed>>[] = [];
      const wrong: Awaited<ReturnType<typeof timed>>[] = [];
      for (let i = 0; i < 4; i += 1) {
        unknown.push(await timed(`nobody-${randomUUID()}@example.com`, 'wrong password 1'));
        wrong.push(await timed(email, `wrong password ${i}`));
      }
      expect(unknown[0]?.status).toBe(401);
      expect(wrong[0]?.status).toBe(401);
      const { requestId: _a, ...unknownProblem } = unknown[0]!.problem;
      const { requestId: _b, ...wrongProblem } = wrong[0]!.problem;
      expect(unknownProblem).toEqual(wrongProblem);
      const median = (xs: { ms: number }[]) => xs.map((x) => x.ms).sort((a, b) => a - b)[2]!;
      // Both paths verify an argon2id hash (~40 ms here); a short-cut for unknown emails skips it and
      // answers in a millisecond or two, far below a quarter. Only that gap is judged, loosely, because
      // the shared CI cores make any tighter timing comparison flaky.
      expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.25);
    });

    it('refuses a disabled account with the same 401 as a wrong password', async () => {
      const { email, id } = await account();
      await identity.setAccountStatus(anonymousContext('test'), id, 'disabled');
      const response = await login(email);
      expect(response.status).toBe(401);
      expect((await body(response)).code).toBe('IDENTITY.INVALID_CREDENTIALS');
    });

    it('limits attempts per account: the sixth in a minute gets 429 with Retry-After, even with the right password', async () => {
      const { email } = await account();
      for (let i = 0; i < 5; i += 1) expect((await login(email, 'not the password')).status).toBe(401);
      const limited = await login(email);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('content-type')).toMatch(/application\/problem\+json/);
      // Another account from the same address is not affected.
      const other = await account();
      expect((await login(other.email)).status).toBe(200);
    });

    it('rehashes a password stored with weaker argon2 parameters at the next login', async () => {
      const { email, id } = await account();
      const argon2 = await import('argon2');
      const weak = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
      await api.db.query('UPDATE identity.accounts SET password_hash = $1 WHERE id = $2', [weak, id]);
      expect((await login(email)).status).toBe(200);
      const { rows } = await api.db.query('SELECT password_hash FROM identity.accounts WHERE id = $1', [id]);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect((await login(email)).status).toBe(200);
    });

    it('rejects overlong and unknown fields with 400', async () => {
      const overlong = await post('/auth/login', { email: `${'a'.repeat(250)}@example.com`, password: 'x'.repeat(129) });
      expect(overlong.status).toBe(400);
      expect([...new Set((await body(overlong)).errors.map((e: { field: string }) => e.field))].sort()).toEqual(['email', 'password']);
      expect((await post('/auth/login', { email: 'a@example.com', password: PASSWORD, roles: ['admin'] })).status).toBe(400);
    });
  });

  describe('access tokens', () => {
    it('GET /auth/whoami answers the claims of a valid token', async () => {
      const { id, tokens } = await account();
      const response = await get('/api/v1/auth/whoami', tokens.accessToken);
      expect(response.status).toBe(200);
      expect(await body(response)).toEqual({ userId: id, roles: ['customer'] });
    });

    it('is closed by default: no token is a 401 problem with a Bearer challenge', async () => {
      const response = await get('/api/v1/auth/whoami');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await body(response)).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING' });
    });

    it('every route the OpenAPI document marks as needing a token answers 401 without one', async () => {
      const document = await body(await get('/docs/openapi.json'));
      const closed: string[] = [];
      for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { security?: object[] }>>)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (!operation.security?.length) continue;
          const url = `${api.url}${path.replace(/\{[^}]+\}/g, randomUUID())}`;
          const withBody = method !== 'get' && method !== 'delete';
          const response = await fetch(url, {
            method: method.toUpperCase(),
            ...(withBody ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
          });
          closed.push(`${method.toUpperCase()} ${path} ${response.status}`);
        }
      }
      expect(closed.length).toBeGreaterThanOrEqual(10);
      expect(closed.filter((line) => !line.endsWith(' 401'))).toEqual([]);
    });

    it('refuses malformed, expired, wrongly signed, alg none, HS256-with-public-key, foreign-audience and tampered tokens', async () => {
      const keys = api.app.get(JwtKeySet);
      const kid = keys.jwks().keys[0]!.kid;
      const forged = forgedTokens({
        kid,
        signingKeyPem: testSigningKey(),
        publicKeyPem: createPublicKey(testSigningKey()).export({ type: 'spki', format: 'pem' }).toString(),
        issuer: 'ficus',
        audience: 'ficus-api',
      });
      const results: Record<string, [number, string]> = {};
      for (const [name, token] of Object.entries(forged)) {
        const response = await get('/api/v1/auth/whoami', token);
        results[name] = [response.status, (await body(response)).code];
      }
      for (const name of Object.keys(forged)) expect([name, ...results[name]!]).toEqual([name, 401, 'AUTH.TOKEN_INVALID']);
    });

    it('can be verified with the published JWKS alone', async () => {
      const { tokens, id } = await account();
      const jwks = await body(await get('/.well-known/jwks.json'));
      const header = jwt.decode(tokens.accessToken, { complete: true })!.header;
      const jwk = jwks.keys.find((key: { kid: string }) => key.kid === header.kid);
      expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      const claims = jwt.verify(tokens.accessToken, publicKey, { algorithms: ['RS256'], audience: 'ficus-api', issuer: 'ficus' });
      expect(claims).toMatchObject({ sub: id });
    });

    it('a customer calling an admin route gets 403; an admin gets through', async () => {
      const customer = await account();
      const admin = await account(['customer', 'admin']);
      const forbidden = await get(`/api/v1/admin/accounts/${customer.id}`, customer.tokens.accessToken);
      expect(forbidden.status).toBe(403);
      expect(await body(forbidden)).toMatchObject({ code: 'AUTH.FORBIDDEN' });
      const allowed = await get(`/api/v1/admin/accounts/${customer.id}`, admin.tokens.accessToken);
      expect(allowed.status).toBe(200);
      expect(await body(allowed)).toMatchObject({ id: customer.id, roles: ['customer'], status: 'active' });
    });

    it('is verified without a database or session lookup: authenticated requests make no query, and besides the rate limit one Redis read of the account\'s access a second', async () => {
      const { tokens, id } = await account();
      // The account's identity.account-created event travels through the domain-events queue: let it land before counting.
      const domainEvents = api.app.get<Queue>(getQueueToken(DOMAIN_EVENTS_QUEUE));
      await eventually(async () => (await domainEvents.getJobs(['completed'])).some((job) => job.data.accountId === id));
      const queries = api.app.get(MetricsRegistry).dbQueries;
      const monitor = new Redis(testRedisUrl());
      const commands: string[][] = [];
      const feed = await monitor.monitor();
      feed.on('monitor', (_time: string, args: string[]) => commands.push(args));
      await new Promise((done) => setTimeout(done, 100));
      try {
        const before = (await queries.get()).values[0]?.value ?? 0;
        const started = Date.now();
        for (let i = 0; i < 20; i += 1) expect((await get('/api/v1/auth/whoami', tokens.accessToken)).status).toBe(200);
        const seconds = Math.ceil((Date.now() - started) / ACCESS_RECHECK_MS);
        const after = (await queries.get()).values[0]?.value ?? 0;
        expect(after - before).toBe(0);
        await new Promise((done) => setTimeout(done, 100));
        const ours = commands.filter((args) => args.some((arg) => arg.startsWith(REDIS_PREFIX)));
        expect(ours.length).toBeGreaterThan(0);
        const others = ours.filter((args) => !args.some((arg) => arg.startsWith(`${REDIS_PREFIX}throttle:default:`)));
        for (const args of others) expect(args).toEqual(['get', `${REDIS_PREFIX}auth-access:${id}`]);
        expect(others.length).toBeGreaterThanOrEqual(1);
        expect(others.length).toBeLessThanOrEqual(seconds);
      } finally {
        feed.disconnect();
        monitor.disconnect();
      }
    });
  });

  it('keeps accepting tokens of a retired key after a rotation, and publishes both keys', async () => {
    const { tokens, id } = await account();
    const dir = mkdtempSync(join(tmpdir(), 'ficus-rotation-'));
    const retiredFile = join(dir, 'retired.pem');
    writeFileSync(retiredFile, testSigningKey());
    const newKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const rotated = await startApi({ db: api.db, env: { JWT_SIGNING_KEY: newKey, JWT_VERIFY_KEY_FILES: retiredFile } });
    try {
      expect((await body(await fetch(`${rotated.url}/.well-known/jwks.json`))).keys).toHaveLength(2);
      const old = await fetch(`${rotated.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(await body(old)).toEqual({ userId: id, roles: ['customer'] });
      const { email } = await identity.getAccount(anonymousContext('test'), id);
      const fresh = await body(
        await fetch(`${rotated.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
        }),
      );
      const newKid = jwt.decode(fresh.accessToken, { complete: true })?.header.kid;
      expect(newKid).not.toBe(jwt.decode(tokens.accessToken, { complete: true })?.header.kid);
      expect((await fetch(`${rotated.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${fresh.accessToken}` } })).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });

  it('limits registrations per client IP: each costs an argon2 hash', async () => {
    const limited = await startApi({ db: api.db, env: { LOGIN_LIMIT_PER_IP: '2', REDIS_KEY_PREFIX: `${REDIS_PREFIX}register-limit:` } });
    try {
      const register = () =>
        fetch(`${limited.url}/api/v1/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `r-${randomUUID()}@example.com`, password: PASSWORD, name: 'Rate Limited' }),
        });
      expect((await register()).status).toBe(201);
      expect((await register()).status).toBe(201);
      const third = await register();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  describe('refresh tokens', () => {
    it('rotates: a refresh answers a new pair and uses up the old refresh token', async () => {
      const { tokens } = await account();
      const first = await post('/auth/refresh', { refreshToken: tokens.refreshToken });
      expect(first.status).toBe(200);
      const next = await body(first);
      expect(next.refreshToken).not.toBe(tokens.refreshToken);
      expect((await get('/api/v1/auth/whoami', next.accessToken)).status).toBe(200);
      expect((await post('/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(200);
    });

    it('rejects a reused refresh token and revokes its family', async () => {
      const { tokens } = await account();
      const rotated = await body(await post('/auth/refresh', { refreshToken: tokens.refreshToken }));
      const reuse = await post('/auth/refresh', { refreshToken: tokens.refreshToken });
      expect(reuse.status).toBe(401);
      expect(await body(reuse)).toMatchObject({ code: 'IDENTITY.INVALID_REFRESH_TOKEN', detail: expect.stringMatching(/already used/) });
      // The legitimate holder's newer token went down with the family.
      expect((await post('/auth/refresh', { refreshToken: rotated.refreshToken })).status).toBe(401);
    });

    it('lets exactly one of two concurrent refreshes of one token win', async () => {
      const { tokens } = await account();
      const statuses = await Promise.all([1, 2].map(() => post('/auth/refresh', { refreshToken: tokens.refreshToken }).then((r) => r.status)));
      expect(statuses.sort()).toEqual([200, 401]);
    });

    it('refuses unknown and expired refresh tokens', async () => {
      const { tokens, id } = await account();
      expect((await post('/auth/refresh', { refreshToken: 'x'.repeat(43) })).status).toBe(401);
      await api.db.query("UPDATE identity.refresh_tokens SET expires_at = now() - interval '1 second' WHERE account_id = $1", [id]);
      expect((await post('/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
    });

    it('logout revokes the family, and says nothing about unknown tokens', async () => {
      const { tokens } = await account();
      const rotated = await body(await post('/auth/refresh', { refreshToken: tokens.refreshToken }));
      expect((await post('/auth/logout', { refreshToken: rotated.refreshToken })).status).toBe(204);
      expect((await post('/auth/refresh', { refreshToken: rotated.refreshToken })).status).toBe(401);
      expect((await post('/auth/logout', { refreshToken: 'y'.repeat(43) })).status).toBe(204);
    });

    it('refuses the access token of an account disabled after it was issued, within a second; re-enabled, it works again', async () => {
      const { tokens, id } = await account();
      const whoami = () => get('/api/v1/auth/whoami', tokens.accessToken);
      expect((await whoami()).status).toBe(200);
      await identity.setAccountStatus(anonymousContext('test'), id, 'disabled');
      await eventually(async () => (await whoami()).status === 401);
      const refused = await whoami();
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await body(refused)).toMatchObject({ code: 'AUTH.TOKEN_INVALID', detail: expect.stringContaining('disabled') });
      await identity.setAccountStatus(anonymousContext('test'), id, 'active');
      await eventually(async () => (await whoami()).status === 200);
    });

    it('stops refreshing once the account is disabled', async () => {
      const { tokens, id } = await account();
      await identity.setAccountStatus(anonymousContext('test'), id, 'disabled');
      expect((await post('/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
    });
  });

  describe('password reset', () => {
    async function resetTokenFor(accountId: string): Promise<string> {
      const { rows } = await api.db.query(
        `SELECT payload->>'resetToken' AS token FROM platform.outbox_events
          WHERE name = 'identity.password-reset-requested' AND payload->>'accountId' = $1 ORDER BY occurred_at DESC LIMIT 1`,
        [accountId],
      );
      return rows[0]?.token;
    }

    it('answers 202 alike for known and unknown emails; only a known one gets a reset event', async () => {
      const { id, email } = await account();
      expect((await post('/auth/password/forgot', { email: `nobody-${randomUUID()}@example.com` })).status).toBe(202);
      expect((await post('/auth/password/forgot', { email })).status).toBe(202);
      expect(await resetTokenFor(id)).toEqual(expect.any(String));
      const { rows } = await api.db.query('SELECT token_hash FROM identity.password_resets WHERE account_id = $1', [id]);
      expect(rows[0].token_hash).not.toBe(await resetTokenFor(id));
    });

    it('sets the new password with a single-use token and signs out every session', async () => {
      const { id, email, tokens } = await account();
      await post('/auth/password/forgot', { email });
      const token = await resetTokenFor(id);
      const newPassword = 'a brand new passphrase';
      expect((await post('/auth/password/reset', { token, password: newPassword })).status).toBe(204);
      expect((await login(email)).status).toBe(401);
      expect((await login(email, newPassword)).status).toBe(200);
      expect((await post('/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
      const again = await post('/auth/password/reset', { token, password: 'yet another passphrase' });
      expect(again.status).toBe(400);
      expect(await body(again)).toMatchObject({ code: 'IDENTITY.INVALID_RESET_TOKEN' });
    });

    it('refuses an expired reset token and a too-short new password', async () => {
      const { id, email } = await account();
      await post('/auth/password/forgot', { email });
      const token = await resetTokenFor(id);
      const short = await post('/auth/password/reset', { token, password: 'short' });
      expect(short.status).toBe(400);
      expect((await body(short)).errors[0].field).toBe('password');
      await api.db.query("UPDATE identity.password_resets SET expires_at = now() - interval '1 second' WHERE account_id = $1", [id]);
      expect((await post('/auth/password/reset', { token, password: 'long enough password' })).status).toBe(400);
    });
  });

  describe('roles', () => {
    it('an admin grants a role, effective from the next refresh (the older token keeps working); unknown roles are rejected', async () => {
      const admin = await account(['customer', 'admin']);
      const user = await account();
      const put = (roles: unknown) =>
        fetch(`${api.url}/api/v1/admin/accounts/${user.id}/roles`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.tokens.accessToken}` },
          body: JSON.stringify({ roles }),
        });
      expect((await put(['customer', 'superuser'])).status).toBe(400);
      const granted = await put(['customer', 'admin']);
      expect(granted.status).toBe(200);
      expect(await body(granted)).toMatchObject({ roles: ['customer', 'admin'] });
      const redis = new Redis(testRedisUrl());
      try {
        await eventually(async () => (await redis.exists(`${REDIS_PREFIX}auth-access:${user.id}`)) === 1);
      } finally {
        redis.disconnect();
      }
      expect(await body(await get('/api/v1/auth/whoami', user.tokens.accessToken))).toMatchObject({ roles: ['customer'] });
      const refreshed = await body(await post('/auth/refresh', { refreshToken: user.tokens.refreshToken }));
      expect(await body(await get('/api/v1/auth/whoami', refreshed.accessToken))).toMatchObject({ roles: ['customer', 'admin'] });
    });

    it('an access token that claims a role removed since is refused; the next refresh carries the roles left', async () => {
      const admin = await account(['customer', 'admin']);
      const demoted = await account(['customer', 'admin']);
      const bystander = await account(['customer', 'admin']);
      expect((await get('/api/v1/admin/accounts/' + admin.id, demoted.tokens.accessToken)).status).toBe(200);
      const removed = await fetch(`${api.url}/api/v1/admin/accounts/${demoted.id}/roles`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.tokens.accessToken}` },
        body: JSON.stringify({ roles: ['customer'] }),
      });
      expect(removed.status).toBe(200);
      // Not just the admin routes: the whole token claims what the account no longer has.
      await eventually(async () => (await get('/api/v1/auth/whoami', demoted.tokens.accessToken)).status === 401);
      expect((await get('/api/v1/admin/accounts/' + admin.id, demoted.tokens.accessToken)).status).toBe(401);
      const refreshed = await body(await post('/auth/refresh', { refreshToken: demoted.tokens.refreshToken }));
      expect(await body(await get('/api/v1/auth/whoami', refreshed.accessToken))).toMatchObject({ roles: ['customer'] });
      expect((await get('/api/v1/admin/accounts/' + admin.id, refreshed.accessToken)).status).toBe(403);
      expect((await get('/api/v1/auth/whoami', bystander.tokens.accessToken)).status).toBe(200);
    });

    it('will not remove the last active admin', async () => {
      await api.db.query(`UPDATE identity.accounts SET roles = '{customer}' WHERE 'admin' = ANY(roles)`);
      const admin = await account(['customer', 'admin']);
      const response = await fetch(`${api.url}/api/v1/admin/accounts/${admin.id}/roles`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.tokens.accessToken}` },
        body: JSON.stringify({ roles: ['customer'] }),
      });
      expect(response.status).toBe(409);
      expect(await body(response)).toMatchObject({ code: 'IDENTITY.LAST_ADMIN' });
    });
  });
});
