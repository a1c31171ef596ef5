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

/**
 * The branch a staff member acts at: the one asked for, or their only branch when none is given.
 * Null when it cannot be told (none given and several or no branches); the caller says so.
 */
export function actingBranchOf(principal: Pick<Principal, 'role' | 'branchIds'>, requested: unknown): string | null {
  if (typeof requested === 'string' && requested) return requested;
  if (requested !== undefined && requested !== null && requested !== '') return null;
  return principal.branchIds.length === 1 ? principal.branchIds[0] : null;
}
