import { canActAtBranch } from './principal';

describe('canActAtBranch', () => {
  const a = '00000000-0000-4000-8000-00000000000a';
  const b = '00000000-0000-4000-8000-00000000000b';

  it('lets admins act anywhere', () => {
    expect(canActAtBranch({ role: 'admin', branchIds: [] }, a)).toBe(true);
  });

  it('keeps librarians, kiosks and devices to their own branches', () => {
    for (const role of ['librarian', 'kiosk', 'device'] as const) {
      expect(canActAtBranch({ role, branchIds: [a] }, a)).toBe(true);
      expect(canActAtBranch({ role, branchIds: [a] }, b)).toBe(false);
    }
  });

  it('never lets residents, operators or organizers act at a branch', () => {
    for (const role of ['resident', 'operator', 'organizer'] as const) {
      expect(canActAtBranch({ role, branchIds: [a] }, a)).toBe(false);
    }
  });
});
