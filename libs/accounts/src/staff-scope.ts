import type { StaffRole } from './entities/staff.entity';

/** Where each kind of staff account may act; null when the scope fits the role. */
export function staffScopeProblem(role: StaffRole, branchCount: number, regionCount: number): string | null {
  switch (role) {
    case 'librarian':
      return branchCount >= 1 ? null : 'a librarian needs at least one branch (branchIds)';
    case 'kiosk':
    case 'device':
      return branchCount === 1 ? null : `a ${role} account is bound to exactly one branch (branchIds)`;
    case 'organizer':
      return regionCount >= 1 ? null : 'an organizer needs at least one region (regionIds)';
    case 'operator':
    case 'admin':
      return null;
  }
}
