import { registerDecorator, ValidationOptions } from 'class-validator';
import { idNumberProblem } from '../identity/id-number';
import { isValidPhone } from '../identity/phone';

const ID_PROBLEM_TEXT = {
  format: 'must be an 18-character resident ID number',
  birth_date: 'has an impossible birth date',
  check_digit: 'has a wrong check digit',
} as const;

export function IsMainlandMobile(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isMainlandMobile',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a mainland China mobile number (11 digits)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidPhone(value) },
    });
}

export function IsResidentIdNumber(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isResidentIdNumber',
      target: object.constructor,
      propertyName,
      options: {
        message: (args) => {
          const problem = typeof args.value === 'string' ? idNumberProblem(args.value) : 'format';
          return `${propertyName} ${ID_PROBLEM_TEXT[problem ?? 'format']}`;
        },
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && idNumberProblem(value) === null },
    });
}

/** At least 8 characters with a letter and a digit; long passphrases welcome. */
export function IsAcceptablePassword(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be 8-128 characters and contain a letter and a digit`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length >= 8 && value.length <= 128 && /\p{L}/u.test(value) && /\d/.test(value),
      },
    });
}
