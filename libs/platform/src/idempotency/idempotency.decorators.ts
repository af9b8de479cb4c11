import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

export const IDEMPOTENCY_KEY_REQUIRED = 'ficus:idempotency-key-required';

export const IDEMPOTENCY_KEY_DOC = {
  name: 'Idempotency-Key',
  description:
    '1-255 visible ASCII characters, a UUID recommended (the quoted structured-field form is accepted). ' +
    'A retry with the same key and body gets the first answer again, byte for byte, with Idempotent-Replayed: true; ' +
    'a different body is 422; while the first is still running, 409 with Retry-After. Kept 24 h.',
};

/**
 * A POST that a client must make retryable (checkout, payments, refunds): without an
 * `Idempotency-Key` header it is refused with 400. Every other POST accepts the header optionally.
 */
export const RequireIdempotencyKey = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENCY_KEY_REQUIRED, true),
    ApiHeader({ ...IDEMPOTENCY_KEY_DOC, required: true }),
    ApiResponse({ status: 409, description: 'A request with this Idempotency-Key is still running (Retry-After)' }),
    ApiResponse({ status: 422, description: 'This Idempotency-Key was used with a different body' }),
  );
