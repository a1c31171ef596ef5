export * from './domain-error';
export { CommonError } from './common-errors';
