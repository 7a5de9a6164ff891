import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AuthenticationError } from '@stockline/errors';
import { reasonOf, viewerFromClaims } from './verify-token.ts';
import type { Viewer } from './viewer.ts';

/** Asymmetric algorithms accepted from an identity provider. HS256 and `none` are never among them. */
export const PROVIDER_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface JwksVerifierOptions {
  /** The provider's JWKS document (`…/.well-known/jwks.json`). */
  jwksUrl: string;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (one of). */
  audience: string | string[];
  /** Claim holding the tenant; dotted names read nested claims. @default 'tenant' */
  tenantClaim?: string;
  /** Claim holding the roles (viewer, clerk, admin). @default 'roles' */
  rolesClaim?: string;
  /** Seconds of clock skew tolerated. @default 30 */
  clockToleranceSeconds?: number;
  /** How long fetched keys are trusted before the set is fetched again (ms). @default 600000 */
  cacheMaxAgeMs?: number;
  /** Minimum time between two fetches triggered by an unknown `kid` (ms). @default 30000 */
  cooldownMs?: number;
}

/**
 * Verifies RS256/ES256 tokens of an identity provider against its JWKS. Keys are fetched lazily and
 * cached by jose's remote key set; an unknown `kid` refetches the set (at most once per cooldown), so
 * a provider's key rotation is picked up by itself and a key removed from the set stops verifying once
 * the cache expires or is refetched. Throws AuthenticationError (UNAUTHENTICATED) on any failure.
 */
export function createJwksVerifier({
  jwksUrl,
  issuer,
  audience,
  tenantClaim = 'tenant',
  rolesClaim = 'roles',
  clockToleranceSeconds = 30,
  cacheMaxAgeMs = 600_000,
  cooldownMs = 30_000,
}: JwksVerifierOptions): (token: string) => Promise<Viewer> {
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: cacheMaxAgeMs, cooldownDuration: cooldownMs });
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { algorithms: [...PROVIDER_ALGORITHMS], issuer, audience, clockTolerance: clockToleranceSeconds }));
    } catch (error) {
      throw new AuthenticationError(`Bearer token is ${reasonOf(error)}`);
    }
    // A provider's token never carries our internal `scopes`/`key` claims' meaning: scopes come from its roles.
    const { scopes: _scopes, key: _key, ...claims } = payload as Record<string, unknown>;
    return viewerFromClaims(claims, token, { tenantClaim, rolesClaim });
  };
}
