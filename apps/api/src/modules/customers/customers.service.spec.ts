import type { AccountStatus, AccountView, CallContext, CreateAccountInput, IdentityApi, TokenPair } from '#contracts';
import { DomainError } from '#platform';
import type { Customer } from './customer.entity.js';
import type { CustomersRepository, NewCustomer } from './customers.repository.js';
import { CustomersService } from './customers.service.js';

const ctx: CallContext = { userId: null, roles: [], cartToken: null, requestId: 'spec' };
const tokens: TokenPair = { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 };

class Refused extends DomainError {
  constructor(code: string) {
    super(code, 'conflict', code);
  }
}

/** Identity as the contract describes it, in memory. */
class FakeIdentity implements IdentityApi {
  readonly created: CreateAccountInput[] = [];
  readonly accounts = new Map<string, AccountView>();
  refuse: string | null = null;

  async createAccount(_ctx: CallContext, input: CreateAccountInput) {
    if (this.refuse) throw new Refused(this.refuse);
    this.created.push(input);
    const account: AccountView = { id: `id-${this.created.length}`, email: input.email.trim().toLowerCase(), roles: ['customer'], status: 'active', createdAt: '2026-01-01T00:00:00.000Z' };
    this.accounts.set(account.id, account);
    return { account, tokens };
  }

  async getAccount(_ctx: CallContext, id: string) {
    const account = this.accounts.get(id);
    if (!account) throw new Refused('IDENTITY.ACCOUNT_NOT_FOUND');
    return account;
  }

  async setAccountStatus(ctx: CallContext, id: string, status: AccountStatus) {
    if (this.refuse) throw new Refused(this.refuse);
    const account = { ...(await this.getAccount(ctx, id)), status };
    this.accounts.set(id, account);
    return account;
  }
}

/** The repository's profile methods over a Map; events are recorded. */
function fakeRepository() {
  const rows = new Map<string, Customer>();
  const events: unknown[] = [];
  const row = (c: NewCustomer, status: Customer['status'] = 'active'): Customer => ({
    ...c,
    phone: null,
    marketingConsent: false,
    marketingConsentUpdatedAt: null,
    status,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  });
  const repository = {
    async register(c: NewCustomer, event: unknown) {
      rows.set(c.id, { ...(rows.get(c.id) ?? row(c)), name: c.name });
      events.push(event);
      return rows.get(c.id)!;
    },
    async insertIfMissing(c: NewCustomer) {
      if (!rows.has(c.id)) rows.set(c.id, row(c));
    },
    async findById(id: string) {
      return rows.get(id) ?? null;
    },
    async setStatus(c: NewCustomer, status: Customer['status']) {
      rows.set(c.id, { ...(rows.get(c.id) ?? row(c)), status });
      return rows.get(c.id)!;
    },
  };
  return { rows, events, repository: repository as unknown as CustomersRepository };
}

describe('CustomersService', () => {
  let identity: FakeIdentity;
  let fake: ReturnType<typeof fakeRepository>;
  let service: CustomersService;
  beforeEach(() => {
    identity = new FakeIdentity();
    fake = fakeRepository();
    service = new CustomersService(fake.repository, identity);
  });

  it('registers with identity using only the email and password, then stores the profile and its event', async () => {
    const dto = { email: 'Ada@Example.com', password: 'correct horse battery', name: 'Ada', roles: ['admin'] };
    const result = await service.register(ctx, dto);
    expect(identity.created).toEqual([{ email: 'Ada@Example.com', password: 'correct horse battery' }]);
    expect(result).toEqual({ user: { id: 'id-1', email: 'ada@example.com', name: 'Ada', roles: ['customer'], createdAt: '2026-01-01T00:00:00.000Z' }, tokens });
    expect(fake.events).toEqual([{ name: 'customers.customer-registered', version: 1, customerId: 'id-1', email: 'ada@example.com', customerName: 'Ada' }]);
  });

  it('stores nothing when identity refuses the account', async () => {
    identity.refuse = 'IDENTITY.EMAIL_TAKEN';
    await expect(service.register(ctx, { email: 'a@example.com', password: 'correct horse battery', name: 'Ada' })).rejects.toThrow(Refused);
    expect(fake.rows.size).toBe(0);
    expect(fake.events).toEqual([]);
  });

  it("makes a missing profile on GET /me from the account, named after the email's local part", async () => {
    const { account } = await identity.createAccount(ctx, { email: 'grace.hopper@example.com', password: 'x' });
    const me = await service.me({ ...ctx, userId: account.id, roles: ['customer', 'admin'] });
    expect(me).toMatchObject({ id: account.id, email: 'grace.hopper@example.com', name: 'grace.hopper', roles: ['customer', 'admin'] });
    expect(fake.rows.has(account.id)).toBe(true);
  });

  it('changes the local status only after identity has changed the account', async () => {
    const { account } = await identity.createAccount(ctx, { email: 'a@example.com', password: 'x' });
    await fake.repository.insertIfMissing({ id: account.id, email: account.email, name: 'A' });
    identity.refuse = 'IDENTITY.LAST_ADMIN';
    await expect(service.setDisabled(ctx, account.id, true)).rejects.toThrow('IDENTITY.LAST_ADMIN');
    expect(fake.rows.get(account.id)?.status).toBe('active');
    identity.refuse = null;
    expect(await service.setDisabled(ctx, account.id, true)).toMatchObject({ status: 'disabled', name: 'A' });
    expect(identity.accounts.get(account.id)?.status).toBe('disabled');
  });
});
