import { z } from '@stockline/config';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Gateway variables of the query limits (spread into the gateway's config schema). */
export const limitsEnv = {
  MAX_QUERY_DEPTH: positive(15),
  MAX_QUERY_ALIASES: positive(30),
  MAX_QUERY_TOKENS: positive(10_000),
  MAX_QUERY_DIRECTIVES: positive(50),
  MAX_REQUEST_BYTES: positive(2 * 1024 * 1024),
  INTROSPECTION_ENABLED: z.stringbool().optional(),
};

type LimitsEnv = z.output<z.ZodObject<typeof limitsEnv>> & { NODE_ENV: string };

/** The camelCase settings of `limitsEnv`. */
export function limitsConfig(env: LimitsEnv) {
  return {
    maxDepth: env.MAX_QUERY_DEPTH,
    maxAliases: env.MAX_QUERY_ALIASES,
    maxTokens: env.MAX_QUERY_TOKENS,
    maxDirectives: env.MAX_QUERY_DIRECTIVES,
    maxRequestBytes: env.MAX_REQUEST_BYTES,
    /** Off in production unless INTROSPECTION_ENABLED=true. */
    introspection: env.INTROSPECTION_ENABLED ?? env.NODE_ENV !== 'production',
  };
}

export type LimitsConfig = ReturnType<typeof limitsConfig>;
