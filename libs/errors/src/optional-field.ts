import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as null: unlike class-validator's IsOptional, a null
 * still meets the field's other rules (and fails them), so it never reaches a NOT NULL column.
 */
export const OptionalField = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
