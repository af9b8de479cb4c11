import { DomainError } from '#platform';

export class EmailTakenError extends DomainError {
  constructor() {
    super('IDENTITY.EMAIL_TAKEN', 'conflict', 'An account with this email already exists');
  }
}

/** One answer for an unknown email, a wrong password and a disabled account: no enumeration. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('IDENTITY.INVALID_CREDENTIALS', 'unauthorized', 'The email or password is wrong');
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor(detail = 'The refresh token is unknown, expired or revoked; sign in again') {
    super('IDENTITY.INVALID_REFRESH_TOKEN', 'unauthorized', detail);
  }
}

export class InvalidResetTokenError extends DomainError {
  constructor() {
    super('IDENTITY.INVALID_RESET_TOKEN', 'bad_request', 'The reset token is unknown, expired or already used; request a new one');
  }
}

export class AccountNotFoundError extends DomainError {
  constructor(id: string) {
    super('IDENTITY.ACCOUNT_NOT_FOUND', 'not_found', `No account ${id}`);
  }
}

export class LastAdminError extends DomainError {
  constructor() {
    super('IDENTITY.LAST_ADMIN', 'conflict', 'This is the last active admin; make another admin first');
  }
}

/** The token exchange is the legacy proxy's: no proxy secret (401) or a wrong one (403). */
export class ProxySecretMissingError extends DomainError {
  constructor() {
    super('IDENTITY.PROXY_SECRET_MISSING', 'unauthorized', 'The token exchange needs the proxy secret (X-Proxy-Exchange-Secret)');
  }
}

export class ProxySecretInvalidError extends DomainError {
  constructor() {
    super('IDENTITY.PROXY_SECRET_INVALID', 'forbidden', 'The proxy secret is wrong, or the token exchange is not enabled (PROXY_EXCHANGE_SECRET)');
  }
}

export class AccountDisabledError extends DomainError {
  constructor() {
    super('IDENTITY.ACCOUNT_DISABLED', 'forbidden', 'The account linked to this legacy customer is disabled');
  }
}
