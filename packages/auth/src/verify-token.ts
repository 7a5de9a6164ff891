import { jwtVerify } from 'jose';
import { AuthenticationError } from '@stockline/errors';
import { Role, type Viewer } from './viewer.ts';

const ROLES = new Set<string>(Object.values(Role));
const keys = new Map<string, Uint8Array>();

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | string[] | undefined | null): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

/**
 * Verifies an HS256 token and returns the viewer it names.
 * Throws AuthenticationError (UNAUTHENTICATED) when the token is missing, expired, forged or lacks a claim.
 */
export async function verifyToken(token: string | null | undefined, secret: string): Promise<Viewer> {
  if (!token) throw new AuthenticationError('Missing bearer token: send "Authorization: Bearer <jwt>"');
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = new TextEncoder().encode(secret)));
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'] }));
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
    throw new AuthenticationError(`Bearer token is ${reason}`);
  }
  const { sub, tenant, roles } = payload as { sub?: unknown; tenant?: unknown; roles?: unknown };
  if (typeof sub !== 'string' || !sub) throw new AuthenticationError('Bearer token has no "sub" claim');
  if (typeof tenant !== 'string' || !tenant) throw new AuthenticationError('Bearer token has no "tenant" claim');
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !ROLES.has(r))) {
    throw new AuthenticationError(`Bearer token "roles" must be a list of ${[...ROLES].join(', ')}`);
  }
  return { userId: sub, tenantId: tenant, roles: roles as Role[], token };
}
