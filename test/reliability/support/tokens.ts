import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '@stockline/auth';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (claims: Record<string, unknown>, { secret = DEV_JWT_SECRET, iat, exp }: { secret?: string; iat?: number; exp?: number | string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('attacker')
    .setIssuedAt(iat)
    .setExpirationTime(exp ?? '1h')
    .sign(new TextEncoder().encode(secret));

/** Credentials the platform must refuse, each named by what is wrong with it. */
export async function badTokens(tenant: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { tenant, roles: ['admin'] };
  return {
    expired: await sign(claims, { iat: now - 7200, exp: now - 3600 }),
    'signed with another secret': await sign(claims, { secret: 'not-the-servers-secret-0123456789abcdef' }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'attacker', iat: now, exp: now + 3600 })}.`,
    'alg none, signature kept': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'attacker', iat: now, exp: now + 3600 })}.${(await sign(claims)).split('.')[2]}`,
    'payload swapped under a valid signature': await (async () => {
      const [h, , s] = (await sign({ tenant: 'someone-else', roles: ['viewer'] })).split('.');
      return `${h}.${b64({ ...claims, sub: 'attacker', iat: now, exp: now + 3600 })}.${s}`;
    })(),
    'without a tenant': await sign({ roles: ['admin'] }),
    'with an empty tenant': await sign({ tenant: '', roles: ['admin'] }),
    'without roles': await sign({ tenant }),
    'with unknown roles only': await sign({ tenant, roles: ['superuser'] }),
    'not a JWT': 'hello',
    'an API key that does not exist': `slk_${'A'.repeat(43)}`,
  };
}
