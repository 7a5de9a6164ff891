import { z } from '@stockline/config';
import { DEFAULT_API_KEY_CACHE_TTL_MS } from './api-key-cache.ts';

/** Gateway variables of authentication (spread into the gateway's config schema). */
export const authEnv = {
  /** The identity provider's JWKS; with it, RS256/ES256 tokens of that provider are accepted. */
  AUTH_JWKS_URL: z.string().url('must be the https:// URL of a JWKS').optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  /** Comma-separated accepted audiences. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_TENANT_CLAIM: z.string().min(1).default('tenant'),
  AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(DEFAULT_API_KEY_CACHE_TTL_MS),
  /** Revocations arrive on Redis pub/sub from the access service; without it, on the in-process bus. */
  REDIS_URL: z.string().url('must be a redis:// URL').optional(),
  EVENTS_CHANNEL_PREFIX: z.string().default('stockline.'),
};

type AuthEnv = z.output<z.ZodObject<typeof authEnv>>;

/** A provider is all three variables or none. Use with `.superRefine`. */
export function requireCompleteProvider(env: AuthEnv, ctx: z.RefinementCtx): void {
  if (!env.AUTH_JWKS_URL && !env.AUTH_ISSUER && !env.AUTH_AUDIENCE) return;
  for (const name of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
    if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'must be set with the other AUTH_ provider variables (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE)' });
  }
}

/** The camelCase settings of `authEnv`. */
export function authConfig(env: AuthEnv) {
  return {
    provider:
      env.AUTH_JWKS_URL && env.AUTH_ISSUER && env.AUTH_AUDIENCE
        ? {
            jwksUrl: env.AUTH_JWKS_URL,
            issuer: env.AUTH_ISSUER,
            audience: env.AUTH_AUDIENCE.split(',').map((a) => a.trim()).filter(Boolean),
            tenantClaim: env.AUTH_TENANT_CLAIM,
            rolesClaim: env.AUTH_ROLES_CLAIM,
          }
        : null,
    apiKeyCacheTtlMs: env.API_KEY_CACHE_TTL_MS,
    redisUrl: env.REDIS_URL ?? null,
    channelPrefix: env.EVENTS_CHANNEL_PREFIX,
  };
}

export type AuthConfig = ReturnType<typeof authConfig>;
