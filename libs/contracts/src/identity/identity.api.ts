import type { CallContext } from '../call-context.js';

export type AccountStatus = 'active' | 'disabled';
export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What other contexts may know of an account; never the password hash. */
export interface AccountView {
  id: string;
  email: string;
  roles: Role[];
  status: AccountStatus;
  createdAt: string;
}

/** The shape every client relies on. `expiresIn` is the access token's lifetime in seconds. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface CreateAccountInput {
  email: string;
  password: string;
  roles?: Role[];
}

export interface IdentityApi {
  /** Creates credentials and signs the account in; a taken email is IDENTITY.EMAIL_TAKEN (409). */
  createAccount(ctx: CallContext, input: CreateAccountInput): Promise<{ account: AccountView; tokens: TokenPair }>;
  getAccount(ctx: CallContext, accountId: string): Promise<AccountView>;
  /** Disabling also revokes every refresh token: the account is out once its access token expires. */
  setAccountStatus(ctx: CallContext, accountId: string, status: AccountStatus): Promise<AccountView>;
}

export const IdentityPatterns = {
  createAccount: 'identity.create-account',
  getAccount: 'identity.get-account',
  setAccountStatus: 'identity.set-account-status',
} satisfies Record<keyof IdentityApi, string>;

export const IDENTITY_API = Symbol('IDENTITY_API');
