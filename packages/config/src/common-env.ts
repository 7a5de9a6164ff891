import { z } from 'zod';
import { DEV_JWT_SECRET } from '@stockline/auth';

/** A TCP port variable with a default. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Variables every service reads. Each service's config.ts spreads these into its own schema. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_JWT_SECRET),
  HOST: z.string().default('0.0.0.0'),
};

/** Production must not run on the documented development secret. Use with `.superRefine`. */
export function refuseDevSecretInProduction(env: { NODE_ENV: string; JWT_SECRET: string }, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production (the development default is refused)' });
  }
}
