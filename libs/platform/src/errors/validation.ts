import { BadRequestException, ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import type { FieldError } from './problem.js';

/** A 400 whose body lists every bad field; the problem filter renders it. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(`${fieldErrors.length} field${fieldErrors.length === 1 ? '' : 's'} failed validation`);
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Body, query and params are validated and transformed; unknown fields are rejected. */
export function createValidationPipe(extra: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    ...extra,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}
