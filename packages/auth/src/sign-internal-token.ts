import { SignJWT } from 'jose';
import type { Principal } from './viewer.ts';

/** Issuer of the tokens the gateway forwards to subgraphs. */
export const INTERNAL_ISSUER = 'stockline-gateway';
/** Lifetime of an internal token: one request's subgraph calls, with room for a slow saga. @default 120 s */
const DEFAULT_TTL_SECONDS = 120;

/**
 * Signs the HS256 token the gateway forwards to subgraphs for an authenticated principal, whatever
 * it presented (provider token, API key, development token): subgraphs verify one kind of token, with
 * the principal's exact scopes and, for an API key, its id. Short-lived, so it is worthless once the request is over.
 */
export async function signInternalToken(principal: Principal, secret: string, ttlSeconds = DEFAULT_TTL_SECONDS): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const until = principal.expiresAt ? Math.min(now + ttlSeconds, Math.floor(principal.expiresAt.getTime() / 1000)) : now + ttlSeconds;
  return new SignJWT({ tenant: principal.tenantId, roles: principal.roles, scopes: principal.scopes, ...(principal.keyId ? { key: principal.keyId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.userId)
    .setIssuer(INTERNAL_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(Math.max(until, now + 1))
    .sign(new TextEncoder().encode(secret));
}
