import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, type IdentityApi } from '#contracts';
import { body, eventually } from '#testing';
import { startApi } from './api-harness.js';

const PASSWORD = 'correct horse battery';
const PROBLEM = /^application\/problem\+json/;

const ADDRESS = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  line1: 'Unter den Linden 1',
  city: 'Berlin',
  postalCode: '10117',
  countryCode: 'DE',
};

describe('customers: registration, profile, address book, admin (real HTTP, PostgreSQL, Redis)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_LIMIT_PER_IP: '1000' } });
  });
  afterAll(() => api.close());

  const call = (method: string, path: string, options: { token?: string; json?: unknown } = {}) =>
    fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
  const fieldsOf = async (response: Response): Promise<string[]> =>
    [...new Set<string>((await body(response)).errors.map((e: { field: string }) => e.field))].sort();
  const uniqueEmail = () => `user-${randomUUID()}@example.com`;

  /** A registered customer, signed in. */
  async function customer(name = 'Ada Lovelace') {
    const email = uniqueEmail();
    const response = await call('POST', '/auth/register', { json: { email, password: PASSWORD, name } });
    expect(response.status).toBe(201);
    const { user, tokens } = await body(response);
    return { id: user.id as string, email, token: tokens.accessToken as string, refreshToken: tokens.refreshToken as string };
  }

  /** A customer promoted in SQL, then signed in again so the token carries the role. */
  async function admin() {
    const { id, email } = await customer('Site Admin');
    await api.db.query(`UPDATE identity.accounts SET roles = '{customer,admin}' WHERE id = $1`, [id]);
    const login = await call('POST', '/auth/login', { json: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    return { id, token: (await body(login)).accessToken as string };
  }

  describe('POST /auth/register', () => {
    it('answers 201 with the user and a token pair, the email trimmed and lower-cased', async () => {
      const email = uniqueEmail();
      const response = await call('POST', '/auth/register', { json: { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: ' Ada Lovelace ' } });
      expect(response.status).toBe(201);
      const registered = await body(response);
      expect(registered).toEqual({
        user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), email, name: 'Ada Lovelace', roles: ['customer'], createdAt: expect.any(String) },
        tokens: { accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 },
      });
      const me = await call('GET', '/me', { token: registered.tokens.accessToken });
      expect(await body(me)).toMatchObject({ id: registered.user.id, email, name: 'Ada Lovelace' });
      const { rows } = await api.db.query(`SELECT payload FROM platform.outbox_events WHERE name = 'customers.customer-registered' AND payload->>'customerId' = $1`, [registered.user.id]);
      expect(rows).toEqual([{ payload: { customerId: registered.user.id, email, customerName: 'Ada Lovelace' } }]);
    });

    it('refuses an email already taken, in another case or spacing, with 409 problem+json', async () => {
      const { email } = await customer();
      const response = await call('POST', '/auth/register', { json: { email: ` ${email.toUpperCase()}`, password: PASSWORD, name: 'Impostor' } });
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      expect(await body(response)).toMatchObject({ status: 409, code: 'IDENTITY.EMAIL_TAKEN' });
      const { rows } = await api.db.query('SELECT name FROM customers.customers WHERE email = $1', [email]);
      expect(rows).toEqual([{ name: 'Ada Lovelace' }]);
    });

    it('refuses roles in the body (mass assignment), a short password and an overlong name with 400 naming the field', async () => {
      const email = uniqueEmail();
      const cases: [Record<string, unknown>, string][] = [
        [{ roles: ['admin'] }, 'roles'],
        [{ password: 'short pw!' }, 'password'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
      ];
      for (const [override, field] of cases) {
        const response = await call('POST', '/auth/register', { json: { email, password: PASSWORD, name: 'Ada', ...override } });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(PROBLEM);
        expect(await fieldsOf(response)).toEqual([field]);
      }
      const { rows } = await api.db.query('SELECT count(*)::int AS n FROM identity.accounts WHERE email = $1', [email]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('GET and PATCH /me', () => {
    it('answers the profile with the roles of the token, and 401 without one', async () => {
      const { id, email, token } = await customer('Grace Hopper');
      const response = await call('GET', '/me', { token });
      expect(response.status).toBe(200);
      expect(await body(response)).toEqual({
        id,
        email,
        name: 'Grace Hopper',
        phone: null,
        marketingConsent: false,
        status: 'active',
        roles: ['customer'],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const anonymous = await call('GET', '/me');
      expect(anonymous.status).toBe(401);
      expect(await body(anonymous)).toMatchObject({ code: 'AUTH.TOKEN_MISSING' });
    });

    it('changes name, phone (normalised to E.164) and marketing consent; null clears the phone', async () => {
      const { token } = await customer();
      const patched = await call('PATCH', '/me', { token, json: { name: 'Ada King', phone: '+49 (30) 901-820', marketingConsent: true } });
      expect(patched.status).toBe(200);
      expect(await body(patched)).toMatchObject({ name: 'Ada King', phone: '+4930901820', marketingConsent: true });
      expect(await body(await call('PATCH', '/me', { token, json: { phone: null } }))).toMatchObject({ name: 'Ada King', phone: null, marketingConsent: true });
      const unchanged = await call('PATCH', '/me', { token, json: {} });
      expect(unchanged.status).toBe(200);
      expect(await body(unchanged)).toMatchObject({ name: 'Ada King', phone: null, marketingConsent: true });
    });

    it('refuses roles, email, a null name, an overlong name and a malformed phone with 400, changing nothing', async () => {
      const { email, token } = await customer();
      const cases: [Record<string, unknown>, string][] = [
        [{ roles: ['customer', 'admin'] }, 'roles'],
        [{ email: 'someone-else@example.com' }, 'email'],
        [{ status: 'active' }, 'status'],
        [{ name: null }, 'name'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ phone: '030 901820' }, 'phone'],
        [{ marketingConsent: 'yes' }, 'marketingConsent'],
      ];
      for (const [patch, field] of cases) {
        const response = await call('PATCH', '/me', { token, json: { name: 'Changed', ...patch } });
        expect(response.status).toBe(400);
        expect(await fieldsOf(response)).toEqual([field]);
      }
      expect(await body(await call('GET', '/me', { token }))).toMatchObject({ email, name: 'Ada Lovelace', phone: null });
      const { rows } = await api.db.query('SELECT roles FROM identity.accounts WHERE email = $1', [email]);
      expect(rows[0].roles).toEqual(['customer']);
    });

    it('gives an account without a profile one: from the account-created event, and on GET /me if still missing', async () => {
      const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
      const email = `grace.${randomUUID().slice(0, 8)}@example.com`;
      const { account, tokens } = await identity.createAccount(anonymousContext('test'), { email, password: PASSWORD });
      const profile = async () => (await api.db.query('SELECT name FROM customers.customers WHERE id = $1', [account.id])).rows;
      await eventually(async () => (await profile()).length === 1);
      expect(await profile()).toEqual([{ name: email.split('@')[0] }]);

      await api.db.query('DELETE FROM customers.customers WHERE id = $1', [account.id]);
      const me = await call('GET', '/me', { token: tokens.accessToken });
      expect(me.status).toBe(200);
      expect(await body(me)).toMatchObject({ id: account.id, email, name: email.split('@')[0] });
      expect(await profile()).toHaveLength(1);
    });
  });

  describe('/me/addresses', () => {
    const list = async (token: string) => body(await call('GET', '/me/addresses', { token }));
    const defaultsOf = async (token: string) => {
      const addresses: { id: string; isDefaultShipping: boolean; isDefaultBilling: boolean }[] = await list(token);
      return {
        shipping: addresses.filter((a) => a.isDefaultShipping).map((a) => a.id),
        billing: addresses.filter((a) => a.isDefaultBilling).map((a) => a.id),
      };
    };
    const add = async (token: string, json: Record<string, unknown> = {}) => {
      const response = await call('POST', '/me/addresses', { token, json: { ...ADDRESS, ...json } });
      expect(response.status).toBe(201);
      return (await body(response)).id as string;
    };

    it('adds an address (201): the first takes both defaults, the country code is upper-cased, blank optionals are left out', async () => {
      const { token } = await customer();
      const response = await call('POST', '/me/addresses', { token, json: { ...ADDRESS, countryCode: 'de', company: '  ', phone: '+49 30 901820' } });
      expect(response.status).toBe(201);
      const saved = await body(response);
      expect(saved).toEqual({
        ...ADDRESS,
        id: expect.any(String),
        phone: '+4930901820',
        isDefaultShipping: true,
        isDefaultBilling: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await list(token)).toEqual([saved]);
    });

    it('refuses an unknown country code, missing, overlong and unknown fields with 400 naming them', async () => {
      const { token } = await customer();
      const cases: [Record<string, unknown>, string[]][] = [
        [{ countryCode: 'XX' }, ['countryCode']],
        [{ countryCode: 'DEU' }, ['countryCode']],
        [{ line1: 'x'.repeat(201), postalCode: '1'.repeat(21) }, ['line1', 'postalCode']],
        [{ firstName: undefined, city: '' }, ['city', 'firstName']],
        [{ customerId: randomUUID() }, ['customerId']],
        [{ line2: 'Hinterhaus\n3. OG' }, ['line2']],
      ];
      for (const [override, fields] of cases) {
        const response = await call('POST', '/me/addresses', { token, json: { ...ADDRESS, ...override } });
        expect(response.status).toBe(400);
        expect(await fieldsOf(response)).toEqual(fields);
      }
      expect(await list(token)).toEqual([]);
    });

    it('keeps one default shipping and one default billing address, moving a default when another takes it', async () => {
      const { token } = await customer();
      const first = await add(token);
      const second = await add(token, { isDefaultShipping: true });
      const third = await add(token);
      expect(await defaultsOf(token)).toEqual({ shipping: [second], billing: [first] });
      const patched = await call('PATCH', `/me/addresses/${third}`, { token, json: { isDefaultBilling: true, isDefaultShipping: true } });
      expect(patched.status).toBe(200);
      expect(await defaultsOf(token)).toEqual({ shipping: [third], billing: [third] });
    });

    it('PATCH changes only the fields sent; null clears an optional field and is refused for a required one', async () => {
      const { token } = await customer();
      const id = await add(token, { company: 'Analytical Engines Ltd' });
      const patched = await call('PATCH', `/me/addresses/${id}`, { token, json: { city: 'London', countryCode: 'gb', company: null } });
      expect(patched.status).toBe(200);
      const saved = await body(patched);
      expect(saved).toMatchObject({ ...ADDRESS, city: 'London', countryCode: 'GB' });
      expect(saved).not.toHaveProperty('company');
      const refused = await call('PATCH', `/me/addresses/${id}`, { token, json: { line1: null, countryCode: 'XX' } });
      expect(refused.status).toBe(400);
      expect(await fieldsOf(refused)).toEqual(['countryCode', 'line1']);
      const untouched = await call('PATCH', `/me/addresses/${id}`, { token, json: {} });
      expect(await body(untouched)).toMatchObject({ id, city: 'London' });
      expect(await list(token)).toEqual([saved]);
    });

    it('DELETE answers 204 and hands a deleted default to the newest remaining address', async () => {
      const { token } = await customer();
      const first = await add(token);
      const second = await add(token);
      const newest = await add(token);
      await call('PATCH', `/me/addresses/${second}`, { token, json: { isDefaultBilling: true } });
      const deleted = await call('DELETE', `/me/addresses/${first}`, { token });
      expect(deleted.status).toBe(204);
      expect(await defaultsOf(token)).toEqual({ shipping: [newest], billing: [second] });
      expect((await call('DELETE', `/me/addresses/${first}`, { token })).status).toBe(404);
    });

    it("answers 404 for another customer's address and leaves it alone", async () => {
      const owner = await customer();
      const intruder = await customer();
      const id = await add(owner.token);
      for (const response of [
        await call('PATCH', `/me/addresses/${id}`, { token: intruder.token, json: { city: 'Stolen' } }),
        await call('DELETE', `/me/addresses/${id}`, { token: intruder.token }),
      ]) {
        expect(response.status).toBe(404);
        expect(await body(response)).toMatchObject({ code: 'CUSTOMERS.ADDRESS_NOT_FOUND' });
      }
      expect(await list(intruder.token)).toEqual([]);
      expect(await list(owner.token)).toEqual([expect.objectContaining({ id, city: 'Berlin' })]);
    });

    it('refuses a 21st address with 409', async () => {
      const { token } = await customer();
      for (let i = 0; i < 20; i += 1) await add(token, { line1: `Street ${i}` });
      const response = await call('POST', '/me/addresses', { token, json: ADDRESS });
      expect(response.status).toBe(409);
      expect(await body(response)).toMatchObject({ code: 'CUSTOMERS.ADDRESS_LIMIT_REACHED', limit: 20 });
      expect(await list(token)).toHaveLength(20);
    });
  });

  describe('admin', () => {
    it('answers 401 without a token and 403 to a customer', async () => {
      const { id, token } = await customer();
      const routes: [string, string, unknown?][] = [
        ['GET', '/admin/customers'],
        ['PATCH', `/admin/customers/${id}`, { disabled: true }],
      ];
      for (const [method, path, json] of routes) {
        const anonymous = await call(method, path, { json });
        expect(anonymous.status).toBe(401);
        const forbidden = await call(method, path, { token, json });
        expect(forbidden.status).toBe(403);
        expect(await body(forbidden)).toMatchObject({ code: 'AUTH.FORBIDDEN' });
      }
      expect(await body(await call('GET', '/me', { token }))).toMatchObject({ status: 'active' });
    });

    it('lists customers newest first, searched by email or name and paginated', async () => {
      const { token } = await admin();
      const tag = randomUUID().slice(0, 8);
      const created = [];
      for (const name of [`Alpha ${tag}`, `Beta ${tag.toUpperCase()}`, `Gamma ${tag}`]) created.push((await customer(name)).id);
      const page = async (query: string) => {
        const response = await call('GET', `/admin/customers?${query}`, { token });
        expect(response.status).toBe(200);
        return body(response);
      };
      const first = await page(`q=${tag}&pageSize=2`);
      expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3 });
      const second = await page(`q=${tag.toUpperCase()}&pageSize=2&page=2`);
      expect([...first.items, ...second.items].map((c: { id: string }) => c.id)).toEqual(created.reverse());
      expect(first.items[0]).toEqual({
        id: created[0],
        email: expect.any(String),
        name: `Gamma ${tag}`,
        phone: null,
        marketingConsent: false,
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await page(`q=${tag}&status=disabled`)).total).toBe(0);
      for (const bad of ['pageSize=101', 'page=0', 'page=abc', 'status=gone', `q=${'x'.repeat(101)}`, 'sort=name']) {
        expect((await call('GET', `/admin/customers?${bad}`, { token })).status).toBe(400);
      }
    });

    it("disables a customer: their login is 401 and their refresh token refused; enabling lets them back", async () => {
      const { token } = await admin();
      const victim = await customer();
      const disabled = await call('PATCH', `/admin/customers/${victim.id}`, { token, json: { disabled: true } });
      expect(disabled.status).toBe(200);
      expect(await body(disabled)).toMatchObject({ id: victim.id, email: victim.email, status: 'disabled' });

      const login = await call('POST', '/auth/login', { json: { email: victim.email, password: PASSWORD } });
      expect(login.status).toBe(401);
      const refresh = await call('POST', '/auth/refresh', { json: { refreshToken: victim.refreshToken } });
      expect(refresh.status).toBe(401);
      const listed = await body(await call('GET', `/admin/customers?status=disabled&q=${encodeURIComponent(victim.email)}`, { token }));
      expect(listed.items.map((c: { id: string }) => c.id)).toEqual([victim.id]);

      const enabled = await call('PATCH', `/admin/customers/${victim.id}`, { token, json: { disabled: false } });
      expect(await body(enabled)).toMatchObject({ status: 'active' });
      expect((await call('POST', '/auth/login', { json: { email: victim.email, password: PASSWORD } })).status).toBe(200);
    });

    it('refuses unknown fields and answers 404 for an unknown customer', async () => {
      const { token } = await admin();
      const victim = await customer();
      const massAssigned = await call('PATCH', `/admin/customers/${victim.id}`, { token, json: { disabled: false, roles: ['admin'] } });
      expect(massAssigned.status).toBe(400);
      expect(await fieldsOf(massAssigned)).toEqual(['roles']);
      expect((await call('PATCH', `/admin/customers/${victim.id}`, { token, json: { disabled: 'yes' } })).status).toBe(400);
      const unknown = await call('PATCH', `/admin/customers/${randomUUID()}`, { token, json: { disabled: true } });
      expect(unknown.status).toBe(404);
    });
  });

  it('documents every route and the address fields in the OpenAPI document', async () => {
    const document = await body(await fetch(`${api.url}/docs/openapi.json`));
    expect(document.paths['/api/v1/auth/register'].post).toBeDefined();
    expect(Object.keys(document.paths['/api/v1/me'])).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(Object.keys(document.paths['/api/v1/me/addresses'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(document.paths['/api/v1/me/addresses/{id}'])).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(document.paths['/api/v1/admin/customers'].get).toBeDefined();
    expect(document.paths['/api/v1/admin/customers/{id}'].patch).toBeDefined();
    const address = document.components.schemas.CreateAddressDto;
    expect(address.required).toEqual(['firstName', 'lastName', 'line1', 'city', 'postalCode', 'countryCode']);
    expect(address.properties.company).toMatchObject({ type: 'string', nullable: true, maxLength: 100 });
    expect(document.components.schemas.UpdateAddressDto.required).toBeUndefined();
    expect(document.components.schemas.RegisterDto.required).toEqual(['email', 'password', 'name']);
  });
});
