import type { AccountStatus, Role } from './identity.api.js';

export interface AccountCreatedEvent {
  name: 'identity.account-created';
  version: 1;
  accountId: string;
  email: string;
  roles: Role[];
}

export interface AccountStatusChangedEvent {
  name: 'identity.account-status-changed';
  version: 1;
  accountId: string;
  status: AccountStatus;
  changedBy: string | null;
}

export interface RolesChangedEvent {
  name: 'identity.roles-changed';
  version: 1;
  accountId: string;
  roles: Role[];
  changedBy: string | null;
}

/**
 * For the notifications context to email the link. It carries the one-time token because the email
 * needs it; only its hash is stored by identity.
 */
export interface PasswordResetRequestedEvent {
  name: 'identity.password-reset-requested';
  version: 1;
  accountId: string;
  email: string;
  resetToken: string;
  expiresAt: string;
}

export interface PasswordChangedEvent {
  name: 'identity.password-changed';
  version: 1;
  accountId: string;
}

export const IdentityEvents = {
  accountCreated: 'identity.account-created',
  accountStatusChanged: 'identity.account-status-changed',
  rolesChanged: 'identity.roles-changed',
  passwordResetRequested: 'identity.password-reset-requested',
  passwordChanged: 'identity.password-changed',
} as const;
