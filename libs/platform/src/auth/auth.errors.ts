import { DomainError } from '../errors/domain-error.js';

/** 401 with the RFC 6750 challenge, so a client knows to (re)authenticate. */
export class AuthenticationRequiredError extends DomainError {
  constructor() {
    super('AUTH.TOKEN_MISSING', 'unauthorized', 'This route needs an access token: send "Authorization: Bearer <accessToken>"', {}, {
      'www-authenticate': 'Bearer realm="ficus"',
    });
  }
}

export class InvalidAccessTokenError extends DomainError {
  constructor(reason: string) {
    super('AUTH.TOKEN_INVALID', 'unauthorized', `The access token was refused: ${reason}`, {}, {
      'www-authenticate': 'Bearer realm="ficus", error="invalid_token"',
    });
  }
}

/** Same code as any refused token: the client's answer is the same, refresh or sign in again. */
export class AccessRevokedError extends InvalidAccessTokenError {
  constructor() {
    super('the account was disabled, or lost a role the token claims, after the token was issued; refresh it or sign in again');
  }
}

export class MissingRoleError extends DomainError {
  constructor(required: readonly string[]) {
    super('AUTH.FORBIDDEN', 'forbidden', `This route needs the role ${required.join(' or ')}`, { requiredRoles: required });
  }
}
