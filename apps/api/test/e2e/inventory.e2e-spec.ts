import { randomUUID } from 'node:crypto';
import { anonymousContext, IDENTITY_API, INVENTORY_API, type IdentityApi, type InventoryApi, systemContext } from '#contracts';
import { body } from '#testing';
import { startApi } from './api-harness.js';

const PROBLEM = /^application\/problem\+json/;

describe('inventory admin: stock levels, adjustments and movements (real HTTP and PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let admin: string;
  let adminId: string;
  let customer: string;
  let inventory: InventoryApi;

  const send = (method: string, path: string, payload?: unknown, token: string | null = admin, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const adjust = (sku: string, payload: unknown, token: string | null = admin, headers: Record<string, string> = {}) =>
    send('POST', `/admin/inventory/${sku}/adjustments`, payload, token, headers);
  const problem = async (response: Response, status: number) => {
    expect([response.status, response.headers.get('content-type')]).toEqual([status, expect.stringMatching(PROBLEM)]);
    return body(response);
  };

  beforeAll(async () => {
    api = await startApi();
    const identity = api.app.get<IdentityApi>(IDENTITY_API, { strict: false });
    const account = async (roles: ('customer' | 'admin')[]) =>
      identity.createAccount(anonymousContext('t'), { email: `${randomUUID()}@example.com`, password: 'inventory password', roles });
    const adminAccount = await account(['customer', 'admin']);
    admin = adminAccount.tokens.accessToken;
    adminId = adminAccount.account.id;
    customer = (await account(['customer'])).tokens.accessToken;
    inventory = api.app.get<InventoryApi>(INVENTORY_API, { strict: false });
  });
  afterAll(() => api.close());

  it('receives stock and shows levels per location, available and the movements newest first', async () => {
    const received = await adjust('MUG-BLUE', { delta: 12, reason: 'Delivery 4711', kind: 'received' });
    expect(received.status).toBe(201);
    expect(await body(received)).toMatchObject({ sku: 'MUG-BLUE', onHand: 12, reserved: 0, available: 12, levels: [{ location: 'main', onHand: 12, reserved: 0, available: 12 }] });
    expect((await adjust('MUG-BLUE', { delta: 3, reason: 'Transfer in', kind: 'received', location: 'store-2' })).status).toBe(201);
    await inventory.reserve(systemContext('t'), { reference: 'checkout-mug', lines: [{ sku: 'MUG-BLUE', quantity: 10 }] });

    const view = await body(await send('GET', '/admin/inventory/MUG-BLUE'));
    expect(view).toMatchObject({
      sku: 'MUG-BLUE', onHand: 15, reserved: 10, available: 5,
      levels: [{ location: 'main', onHand: 12, reserved: 10, available: 2 }, { location: 'store-2', onHand: 3, reserved: 0, available: 3 }],
      movements: { total: 3, page: 1, pageSize: 20 },
    });
    expect(view.movements.items[0]).toMatchObject({ kind: 'reserved', location: 'main', onHandDelta: 0, reservedDelta: 10, reference: 'checkout-mug', actor: 'system' });
    expect(view.movements.items.slice(1)).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'received', location: 'main', onHandDelta: 12, reservedDelta: 0, reason: 'Delivery 4711', actor: adminId, at: expect.stringMatching(/Z$/) }),
      expect.objectContaining({ kind: 'received', location: 'store-2', onHandDelta: 3, reason: 'Transfer in' }),
    ]));
    const page2 = await body(await send('GET', '/admin/inventory/MUG-BLUE?page=2&pageSize=2'));
    expect(page2.movements).toMatchObject({ total: 3, page: 2, pageSize: 2, items: [expect.any(Object)] });
  });

  it('never takes on hand below zero or below the reserved units: 409 with what is there', async () => {
    const belowReserved = await problem(await adjust('MUG-BLUE', { delta: -3, reason: 'Broken', kind: 'adjusted' }), 409);
    expect(belowReserved).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', sku: 'MUG-BLUE', location: 'main', onHand: 12, reserved: 10 });
    expect(belowReserved.detail).toMatch(/12 on hand, 10 of them reserved/);
    expect((await problem(await adjust('MUG-BLUE', { delta: -4, reason: 'Lost', kind: 'adjusted', location: 'store-2' }), 409)).code).toBe('INVENTORY.INSUFFICIENT_STOCK');
    expect((await problem(await adjust('NEVER-SEEN', { delta: -1, reason: 'Count', kind: 'adjusted' }), 409)).code).toBe('INVENTORY.INSUFFICIENT_STOCK');

    const removed = await adjust('MUG-BLUE', { delta: -2, reason: 'Broken in store', kind: 'adjusted' });
    expect(removed.status).toBe(201);
    expect(await body(removed)).toMatchObject({ levels: [{ location: 'main', onHand: 10, reserved: 10, available: 0 }, { location: 'store-2' }] });
  });

  it('refuses malformed adjustments with 400 and changes nothing', async () => {
    const bad: [string, unknown][] = [
      ['no reason', { delta: 5, kind: 'received' }],
      ['empty reason', { delta: 5, reason: '', kind: 'received' }],
      ['zero delta', { delta: 0, reason: 'x', kind: 'adjusted' }],
      ['fractional delta', { delta: 1.5, reason: 'x', kind: 'adjusted' }],
      ['unknown kind', { delta: 5, reason: 'x', kind: 'sold' }],
      ['unknown field', { delta: 5, reason: 'x', kind: 'received', onHand: 99 }],
      ['bad location', { delta: 5, reason: 'x', kind: 'received', location: 'Main Hall' }],
    ];
    for (const [label, payload] of bad) {
      const answer = await problem(await adjust('MUG-BLUE', payload), 400);
      expect([label, answer.code]).toEqual([label, 'REQUEST.VALIDATION_FAILED']);
    }
    expect((await problem(await adjust('MUG-BLUE', { delta: -1, reason: 'x', kind: 'received' }), 400)).code).toBe('INVENTORY.INVALID_ADJUSTMENT');
    expect((await problem(await adjust('not%20a%20sku', { delta: 1, reason: 'x', kind: 'received' }), 400)).code).toBe('INVENTORY.INVALID_ADJUSTMENT');
    expect((await body(await send('GET', '/admin/inventory/MUG-BLUE'))).movements.total).toBe(4);
  });

  it('answers 404 for a SKU without stock records', async () => {
    expect((await problem(await send('GET', '/admin/inventory/NEVER-SEEN'), 404)).code).toBe('INVENTORY.SKU_NOT_STOCKED');
  });

  it('applies a retried adjustment with the same Idempotency-Key once', async () => {
    const key = randomUUID();
    const payload = { delta: 5, reason: 'Delivery 4712', kind: 'received' };
    const first = await adjust('CUP-RED', payload, admin, { 'idempotency-key': key });
    const again = await adjust('CUP-RED', payload, admin, { 'idempotency-key': key });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await body(await send('GET', '/admin/inventory/CUP-RED'))).onHand).toBe(5);
  });

  it('is for admins only: 401 without a token, 403 for a customer', async () => {
    expect((await problem(await send('GET', '/admin/inventory/MUG-BLUE', undefined, null), 401)).status).toBe(401);
    expect((await problem(await adjust('MUG-BLUE', { delta: 1, reason: 'x', kind: 'received' }, null), 401)).status).toBe(401);
    expect((await problem(await send('GET', '/admin/inventory/MUG-BLUE', undefined, customer), 403)).status).toBe(403);
    expect((await problem(await adjust('MUG-BLUE', { delta: 1, reason: 'x', kind: 'received' }, customer), 403)).status).toBe(403);
  });
});
