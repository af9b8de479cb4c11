import { Param, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationException } from './validation.js';

/** `@UuidParam('id')`: a path parameter that must be a UUID, else a 400 naming the parameter. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new RequestValidationException([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
