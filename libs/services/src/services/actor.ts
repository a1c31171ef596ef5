import { CommonError } from '@lib/errors';

/** Who acts: a resident, or staff with the branches and regions they serve (the auth principal fits). */
export interface ServiceActor {
  id: string;
  kind: 'patron' | 'staff';
  role: string;
  branchIds: string[];
  regionIds: string[];
}

/** A 400 naming one field, for rules class-validator cannot see (they depend on stored data). */
export function invalidField(field: string, message: string): Error {
  return CommonError.VALIDATION_FAILED({ fields: field, errors: [{ field, messages: [message] }] });
}
