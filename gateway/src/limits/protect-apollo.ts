import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { useQueryCostLimit } from '../plugins/use-query-cost-limit.ts';
import { useSingleOperation } from '../plugins/use-single-operation.ts';
import type { Viewer } from '@stockline/auth';
import { createRateLimitStore, useRateLimit, type RateLimitConfig } from '../rate-limit/index.ts';
import type { LimitsConfig } from './limits-env.ts';
import { queryLimitRules } from './query-limit-rules.ts';

/**
 * The ApolloServer options that refuse abusive documents before any planning (bytes, batches and
 * tokens are refused earlier, by `limitRequestBody`): depth/aliases/directives (validation), cost and operation resolution (before planning);
 * in production no "Did you mean" suggestions and no introspection unless enabled; then the rate
 * limit by cost (`useRateLimit`, which adds `extensions.cost` to every response).
 */
export function protectApollo<C extends BaseContext & { viewer: Viewer }>({ limits, maxCost, production, rateLimit, onRateLimited, onStoreError }: {
  limits: LimitsConfig;
  maxCost: number;
  production: boolean;
  rateLimit: RateLimitConfig;
  onRateLimited?: (viewer: Viewer) => void;
  onStoreError?: (error: unknown) => void;
}): {
  validationRules: ValidationRule[];
  introspection: boolean;
  hideSchemaDetailsFromClientErrors: boolean;
  plugins: ApolloServerPlugin<C>[];
} {
  return {
    validationRules: queryLimitRules(limits),
    introspection: limits.introspection,
    hideSchemaDetailsFromClientErrors: production,
    plugins: [
      useSingleOperation<C>(),
      useQueryCostLimit<C>({ maxCost }),
      useRateLimit<C>({ config: rateLimit, store: createRateLimitStore(rateLimit), maxCost, onRefused: onRateLimited, onStoreError }),
    ],
  };
}
