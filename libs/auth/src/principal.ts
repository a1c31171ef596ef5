import type { StaffRole } from '@lib/accounts';

export type Role = 'resident' | StaffRole;
export const ALL_ROLES: readonly Role[] = ['resident', 'librarian', 'operator', 'organizer', 'admin', 'kiosk', 'device'];

/** Who is calling, as carried by the access token. */
export interface Principal {
  id: string;
  kind: 'patron' | 'staff';
  role: Role;
  branchIds: string[];
  regionIds: string[];
  sessionId: string;
}

/** Roles whose every action happens at a branch of their own. */
const BRANCH_BOUND: readonly Role[] = ['librarian', 'kiosk', 'device'];

/**
 * May this principal act at this branch? Admins act anywhere; branch-bound staff only at their
 * branches; other roles never act "at a branch" on an endpoint that asks for one.
 */
export function canActAtBranch(principal: Pick<Principal, 'role' | 'branchIds'>, branchId: string): boolean {
  if (principal.role === 'admin') return true;
  return BRANCH_BOUND.includes(principal.role) && principal.branchIds.includes(branchId);
}
