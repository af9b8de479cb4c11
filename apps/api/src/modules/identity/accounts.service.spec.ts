import type { CallContext, TokenPair } from '#contracts';
import type { AppConfig, AttemptLimit, AttemptLimiter } from '#platform';
import type { Account } from './account.entity.js';
import type { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { InvalidCredentialsError } from './identity.errors.js';
import type { PasswordCheck, PasswordHasher } from './password-hasher.js';
import type { SessionsService } from './sessions.service.js';

const ctx: CallContext = { userId: null, roles: [], cartToken: null, requestId: 'spec', clientIp: '203.0.113.7' };
const pair: TokenPair = { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 };

const account = (overrides: Partial<Account> = {}): Account => ({
  id: 'acc-1',
  email: 'ada@example.com',
  passwordHash: 'stored-hash',
  roles: ['customer'],
  status: 'active',
  lastLoginAt: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

function setup(stored: Account | null, check: PasswordCheck) {
  const checked: (string | null)[] = [];
  const logins: { id: string; rehashed: string | null }[] = [];
  const limited: string[] = [];
  const accounts = {
    findByEmail: async (email: string) => (stored && stored.email === email ? stored : null),
    recordLogin: async (id: string, rehashed: string | null) => void logins.push({ id, rehashed }),
  } as unknown as AccountsRepository;
  const hasher = {
    check: async (hash: string | null) => {
      checked.push(hash);
      return check;
    },
    hash: async (password: string) => `new-hash-of-${password}`,
  } as unknown as PasswordHasher;
  const limiter = { hit: async (key: string, _limit: AttemptLimit) => void limited.push(key) } as unknown as AttemptLimiter;
  const sessions = { start: async () => pair } as unknown as SessionsService;
  const config = { get: (key: string) => ({ LOGIN_LIMIT_WINDOW_MS: 60000, LOGIN_LIMIT_PER_IP: 20, LOGIN_LIMIT_PER_ACCOUNT: 5 })[key] } as unknown as AppConfig;
  const service = new AccountsService(accounts, sessions, hasher, limiter, config);
  return { service, checked, logins, limited };
}

describe('AccountsService.login', () => {
  it('verifies against the decoy hash when the email is unknown, so it costs as much as a wrong password', async () => {
    const { service, checked } = setup(null, { matches: false, needsRehash: false });
    await expect(service.login(ctx, { email: 'nobody@example.com', password: 'whatever it is' })).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(checked).toEqual([null]);
  });

  it('normalises the email and counts the attempt per IP and per (hashed) account before checking', async () => {
    const { service, limited } = setup(account(), { matches: true, needsRehash: false });
    expect(await service.login(ctx, { email: '  ADA@Example.com ', password: 'right' })).toEqual(pair);
    expect(limited).toEqual(['login:ip:203.0.113.7', expect.stringMatching(/^login:account:[0-9a-f]{32}$/)]);
    expect(limited[1]).not.toContain('ada');
  });

  it('refuses a disabled account even with the right password, with the same error', async () => {
    const { service, logins } = setup(account({ status: 'disabled' }), { matches: true, needsRehash: false });
    await expect(service.login(ctx, { email: 'ada@example.com', password: 'right' })).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(logins).toEqual([]);
  });

  it('stores a new hash when the stored one was made with older parameters', async () => {
    const { service, logins } = setup(account(), { matches: true, needsRehash: true });
    await service.login(ctx, { email: 'ada@example.com', password: 'right' });
    expect(logins).toEqual([{ id: 'acc-1', rehashed: 'new-hash-of-right' }]);
  });
});
