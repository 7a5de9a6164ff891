/**
 * Prints a bearer token: npm run token -- --tenant demo --roles admin [--sub alice] [--expires 12h]
 * Signs with JWT_SECRET (the development default when unset).
 */
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, Role, signToken } from '@stockline/auth';

const { values } = parseArgs({
  options: {
    tenant: { type: 'string', default: 'demo' },
    roles: { type: 'string', default: 'admin' },
    sub: { type: 'string', default: 'dev-user' },
    expires: { type: 'string', default: '12h' },
  },
});
const roles = values.roles.split(',').map((r) => r.trim());
const allowed = [Role.Viewer, Role.Clerk, Role.Admin] as string[];
const bad = roles.filter((r) => !allowed.includes(r));
if (bad.length) {
  console.error(`--roles: unknown role(s) ${bad.join(', ')}; use ${allowed.join(', ')}`);
  process.exit(1);
}
console.log(await signToken({ sub: values.sub, tenant: values.tenant, roles, secret: process.env.JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: values.expires }));
