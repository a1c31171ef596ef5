import { Param, ParseUUIDPipe } from '@nestjs/common';
import { CommonError } from '@lib/errors';

/** A path parameter that must be a UUID; otherwise a 400 naming it (never a database error). */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        CommonError.VALIDATION_FAILED({ fields: name, errors: [{ field: name, messages: [`${name} must be a UUID`] }] }),
    }),
  );
