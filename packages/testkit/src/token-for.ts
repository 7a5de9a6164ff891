import { randomBytes } from 'node:crypto';
import { DEV_JWT_SECRET, signToken } from '@stockline/auth';

/** A tenant id no other test file uses, so files can share one platform and run in parallel. */
export const uniqueTenant = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;

/** A bearer token for `tenant` with `roles`, signed with the development secret (what test servers use). */
export function tokenFor(tenant: string, roles: string[] = ['admin'], { sub = 'test-user', expiresIn = '1h', secret = DEV_JWT_SECRET } = {}) {
  return signToken({ sub, tenant, roles, secret, expiresIn });
}
