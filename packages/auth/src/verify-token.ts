import { jwtVerify, type JWTPayload } from 'jose';
import { AuthenticationError } from '@stockline/errors';
import { Role, type Viewer } from './viewer.ts';
import { isScope, scopesOfRoles } from './scope.ts';

const ROLES = new Set<string>(Object.values(Role));
const keys = new Map<string, Uint8Array>();
/** Tokens already verified, until they expire (at most a minute): the gateway reuses one internal token per caller. */
const verified = new Map<string, { viewer: Viewer; until: number }>();
const MAX_VERIFIED = 10_000;
const MAX_REMEMBER_MS = 60_000;

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | string[] | undefined | null): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

/**
 * Verifies an HS256 token signed with `secret` (development tokens, service tokens, and the
 * gateway's internal tokens) and returns the viewer it names. Only HS256 is accepted, so neither
 * `alg: none` nor a token "signed" with some public key passes.
 * Throws AuthenticationError (UNAUTHENTICATED) when the token is missing, expired, forged or lacks a claim.
 */
export async function verifyToken(token: string | null | undefined, secret: string): Promise<Viewer> {
  if (!token) throw new AuthenticationError('Missing bearer token: send "Authorization: Bearer <jwt>"');
  const cacheKey = `${secret}\u0000${token}`;
  const hit = verified.get(cacheKey);
  if (hit && Date.now() < hit.until) return hit.viewer;
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = new TextEncoder().encode(secret)));
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'] }));
  } catch (error) {
    throw new AuthenticationError(`Bearer token is ${reasonOf(error)}`);
  }
  const viewer = viewerFromClaims(payload, token, { tenantClaim: 'tenant', rolesClaim: 'roles' });
  remember(cacheKey, viewer);
  return viewer;
}

function remember(cacheKey: string, viewer: Viewer) {
  const until = Math.min(viewer.expiresAt?.getTime() ?? Infinity, Date.now() + MAX_REMEMBER_MS);
  verified.delete(cacheKey);
  verified.set(cacheKey, { viewer, until });
  if (verified.size > MAX_VERIFIED) verified.delete(verified.keys().next().value!);
}

/** Why jose refused a token, in a word the client may see. */
export function reasonOf(error: unknown): string {
  return (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
}

/**
 * The viewer named by verified claims: `sub`, the tenant and roles claims, and (on the gateway's
 * internal tokens) `scopes` and `key`. Without a `scopes` claim the scopes are the roles' bundles.
 */
export function viewerFromClaims(payload: JWTPayload, token: string, { tenantClaim, rolesClaim }: { tenantClaim: string; rolesClaim: string }): Viewer {
  const { sub, scopes, key } = payload as { sub?: unknown; scopes?: unknown; key?: unknown };
  const tenant = claimAt(payload, tenantClaim);
  const roles = claimAt(payload, rolesClaim);
  if (typeof sub !== 'string' || !sub) throw new AuthenticationError('Bearer token has no "sub" claim');
  if (typeof tenant !== 'string' || !tenant) throw new AuthenticationError(`Bearer token has no "${tenantClaim}" claim`);
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !ROLES.has(r))) {
    throw new AuthenticationError(`Bearer token "${rolesClaim}" must be a list of ${[...ROLES].join(', ')}`);
  }
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every(isScope))) {
    throw new AuthenticationError('Bearer token "scopes" must be a list of known scopes');
  }
  return {
    userId: sub,
    tenantId: tenant,
    roles: roles as Role[],
    scopes: scopes ?? scopesOfRoles(roles),
    token,
    keyId: typeof key === 'string' ? key : null,
    expiresAt: typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null,
  };
}

/** A claim by name; a dotted name reads a nested claim (`realm_access.roles`), a URL-like name is taken whole. */
function claimAt(payload: JWTPayload, name: string): unknown {
  if (name in payload || !name.includes('.') || name.includes('://')) return payload[name];
  return name.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), payload);
}
