/** The kinds of failure the edge knows how to map; each becomes one HTTP status. */
export type DomainErrorKind =
  | 'moved_permanently'
  | 'bad_request'
  | 'unauthorized'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

/**
 * Base for errors thrown below controllers. `code` is stable and machine-readable
 * (`INVENTORY.OUT_OF_STOCK`); the edge maps `kind` to a status once.
 */
export abstract class DomainError extends Error {
  protected constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers that belong to the error (`Retry-After`, `WWW-Authenticate`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(detail: string, readonly retryAfterSeconds = 5) {
    super('PLATFORM.UNAVAILABLE', 'unavailable', detail, {}, { 'retry-after': String(retryAfterSeconds) });
  }
}

export class TooManyAttemptsError extends DomainError {
  constructor(detail: string, readonly retryAfterSeconds: number) {
    super('PLATFORM.TOO_MANY_ATTEMPTS', 'rate_limited', detail, {}, { 'retry-after': String(retryAfterSeconds) });
  }
}
