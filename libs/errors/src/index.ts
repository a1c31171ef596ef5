export * from './domain-error';
export { CommonError } from './common-errors';
export { OptionalField } from './optional-field';
export { IsCalendarDate, IsInstant } from './time-fields';
