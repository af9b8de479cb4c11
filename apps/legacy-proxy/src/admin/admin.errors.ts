import { DomainError } from '#platform';

export class RouteNotFoundError extends DomainError {
  constructor(name: string) {
    super('PROXY.ROUTE_NOT_FOUND', 'not_found', `No route is named "${name}"`);
  }
}

/** A change that would make the route file invalid: refused, nothing written. */
export class InvalidRouteChangeError extends DomainError {
  constructor(detail: string, errors: { field: string; message: string }[]) {
    super('PROXY.INVALID_ROUTE_CHANGE', 'bad_request', detail, { errors });
  }
}

/** The file on disk does not validate (someone saved a broken edit): fix it before changing it here. */
export class RouteFileInvalidError extends DomainError {
  constructor(problems: string[]) {
    super('PROXY.ROUTE_FILE_INVALID', 'conflict', `The route file is invalid; fix it first: ${problems.join('; ')}`, { problems });
  }
}

export class PromotionRefusedError extends DomainError {
  constructor(reason: string) {
    super('PROXY.PROMOTION_REFUSED', 'conflict', reason);
  }
}

export class BreakerNotOpenError extends DomainError {
  constructor(route: string) {
    super('PROXY.BREAKER_NOT_OPEN', 'conflict', `The circuit breaker of route "${route}" is closed already`);
  }
}

/** The route file (or its folder) cannot be written: a read-only mount, say. Nothing changed. */
export class RouteFileNotWritableError extends DomainError {
  constructor(file: string, cause: string) {
    super('PROXY.ROUTE_FILE_NOT_WRITABLE', 'unavailable', `The route file ${file} cannot be written (${cause}); nothing was changed. Mount its folder writable to change routes here`);
  }
}
