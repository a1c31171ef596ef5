import { Logger } from '@nestjs/common';
import { StaffService } from '@lib/accounts';
import { Env } from '@lib/config';
import { DomainError } from '@lib/errors';

export const DEVELOPMENT_ADMIN = { username: 'admin', password: 'Admin12345' };

/**
 * Makes sure the district has its first admin: ADMIN_USERNAME/ADMIN_PASSWORD when set, else (outside
 * production) admin / Admin12345. An existing account is never changed, so a rotated password stays.
 */
export async function ensureFirstAdmin(staff: StaffService, env: Env): Promise<{ username: string; password?: string } | null> {
  const wanted =
    env.ADMIN_USERNAME && env.ADMIN_PASSWORD
      ? { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }
      : env.NODE_ENV === 'production'
        ? null
        : DEVELOPMENT_ADMIN;
  if (!wanted) {
    new Logger('Startup').warn('ADMIN_USERNAME/ADMIN_PASSWORD not set: no first admin account is created');
    return null;
  }
  if (await staff.findForLogin(wanted.username)) return { username: wanted.username };
  try {
    await staff.create({ username: wanted.username, password: wanted.password, name: '系统管理员', role: 'admin' });
  } catch (e) {
    // Another instance starting at the same moment created it first.
    if (e instanceof DomainError && e.code === 'USERNAME_TAKEN') return { username: wanted.username };
    throw e;
  }
  // Only the well-known development password is worth printing; a configured one stays out of the logs.
  return wanted === DEVELOPMENT_ADMIN ? wanted : { username: wanted.username };
}
