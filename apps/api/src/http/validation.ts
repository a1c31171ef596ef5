import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonError } from '@lib/errors';

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; messages: string[] }> {
  return errors.flatMap((e) => {
    // forbidUnknownValues refuses a body that is not an object (an array, a string) with no property.
    if (!e.property && !parent) return [{ field: 'body', messages: ['body must be a JSON object'] }];
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Unknown fields are refused, wrong ones named: `details.errors[] = {field, messages}`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      return CommonError.VALIDATION_FAILED({ fields: list.map((e) => e.field).join(', '), errors: list });
    },
  });
}
