import { DomainError } from '../errors/domain-error.js';

export class IdempotencyKeyRequiredError extends DomainError {
  constructor() {
    super('IDEMPOTENCY.KEY_REQUIRED', 'bad_request', 'This request needs an Idempotency-Key header (1-255 characters, a UUID is recommended)');
  }
}

export class MalformedIdempotencyKeyError extends DomainError {
  constructor(detail: string) {
    super('IDEMPOTENCY.KEY_MALFORMED', 'bad_request', `Idempotency-Key ${detail}`);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY.KEY_REUSED', 'unprocessable', 'This Idempotency-Key was already used with a different request body; use a new key for a new request');
  }
}

export class IdempotentRequestInFlightError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('IDEMPOTENCY.IN_FLIGHT', 'conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', {}, { 'retry-after': String(retryAfterSeconds) });
  }
}
