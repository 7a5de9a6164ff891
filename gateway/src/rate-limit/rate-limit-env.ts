import { z } from '@stockline/config';

const bucket = z.object({ capacity: z.number().int().min(1), refillPerSecond: z.number().positive() });
export type BucketLimits = z.output<typeof bucket>;

const tenantOverrides = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"<tenant>": {"capacity": 100000, "refillPerSecond": 5000}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), bucket));

/** Gateway variables of the rate limiter (spread into the gateway's config schema). */
export const rateLimitEnv = {
  RATE_LIMIT_ENABLED: z.stringbool().default(true),
  RATE_LIMIT_TENANT_CAPACITY: z.coerce.number().int().min(1).default(100_000),
  RATE_LIMIT_TENANT_REFILL_PER_SECOND: z.coerce.number().positive().default(50_000),
  RATE_LIMIT_USER_CAPACITY: z.coerce.number().int().min(1).default(50_000),
  RATE_LIMIT_USER_REFILL_PER_SECOND: z.coerce.number().positive().default(25_000),
  /** Per-tenant tenant-bucket limits, JSON. */
  RATE_LIMIT_TENANTS: tenantOverrides.optional(),
  RATE_LIMIT_KEY_PREFIX: z.string().default('stockline.ratelimit.'),
  /** Redis shared by every gateway instance; without it each instance limits in process. */
  REDIS_URL: z.string().url('must be a redis:// URL').optional(),
};

type RateLimitEnv = z.output<z.ZodObject<typeof rateLimitEnv>>;

/** The camelCase settings of `rateLimitEnv`. */
export function rateLimitConfig(env: RateLimitEnv) {
  return {
    enabled: env.RATE_LIMIT_ENABLED,
    tenant: { capacity: env.RATE_LIMIT_TENANT_CAPACITY, refillPerSecond: env.RATE_LIMIT_TENANT_REFILL_PER_SECOND },
    user: { capacity: env.RATE_LIMIT_USER_CAPACITY, refillPerSecond: env.RATE_LIMIT_USER_REFILL_PER_SECOND },
    tenants: env.RATE_LIMIT_TENANTS ?? {},
    keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    redisUrl: env.REDIS_URL ?? null,
  };
}

export type RateLimitConfig = ReturnType<typeof rateLimitConfig>;
