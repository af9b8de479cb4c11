import type { AccountView } from '#contracts';
import type { Account } from './account.entity.js';

export const toAccountView = (account: Account): AccountView => ({
  id: account.id,
  email: account.email,
  roles: account.roles,
  status: account.status,
  createdAt: account.createdAt.toISOString(),
});
