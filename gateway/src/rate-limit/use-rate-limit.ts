import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { RateLimitedError } from '@stockline/errors';
import type { Viewer } from '@stockline/auth';
import { operationCost } from '../plugins/use-query-cost-limit.ts';
import { actualCost } from './actual-cost.ts';
import type { BucketLimits, RateLimitConfig } from './rate-limit-env.ts';
import type { BucketSpec, TakeResult, TokenBucketStore } from './token-bucket-store.ts';

/** Shopify's `throttleStatus`: one bucket's size, level and refill. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` of every response. */
export interface CostExtension {
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus | null;
  userThrottleStatus: ThrottleStatus | null;
}

export interface RateLimitOptions {
  config: RateLimitConfig;
  store: TokenBucketStore;
  /** Operations above this are refused by the cost limit; the limiter does not charge them. */
  maxCost: number;
  /** Told of every refusal (metrics). */
  onRefused?: (viewer: Viewer) => void;
  /** Told when the store fails: the request is served (fail open). */
  onStoreError?: (error: unknown) => void;
}

interface Charge {
  requested: number;
  buckets: BucketSpec[];
  taken: TakeResult | null;
}

/**
 * Rate limiting by query cost: before planning, the operation's estimated cost is taken from the
 * tenant's bucket and the user's bucket together (both or neither); when either is short the
 * request is refused with RATE_LIMITED and `retryAfterMs`. After execution the difference between
 * estimated and actual cost goes back. Every response carries `extensions.cost`. A failing store
 * serves the request (availability first; reported through `onStoreError`).
 */
export function useRateLimit<C extends { viewer: Viewer }>({ config, store, maxCost, onRefused, onStoreError }: RateLimitOptions): ApolloServerPlugin<C> {
  const charges = new WeakMap<object, Charge>();
  const tenantLimits = (tenantId: string): BucketLimits => config.tenants[tenantId] ?? config.tenant;
  return {
    async serverWillStart() {
      return {
        async serverWillStop() {
          await store.close();
        },
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const { contextValue, operation } = requestContext;
          if (!operation || !contextValue.viewer) return;
          const requested = operationCost(requestContext as never);
          if (requested > maxCost) return;
          const { tenantId, userId } = contextValue.viewer;
          const buckets: BucketSpec[] = [
            { key: `t:${tenantId}`, ...tenantLimits(tenantId) },
            { key: `u:${tenantId}:${userId}`, ...config.user },
          ];
          const charge: Charge = { requested, buckets, taken: null };
          charges.set(contextValue, charge);
          if (!config.enabled) return;
          try {
            charge.taken = await store.take(buckets, requested);
          } catch (error) {
            onStoreError?.(error);
            return;
          }
          if (!charge.taken.allowed) {
            onRefused?.(contextValue.viewer);
            throw new RateLimitedError(charge.taken.retryAfterMs);
          }
        },
        async willSendResponse(requestContext) {
          const { response, contextValue, operation } = requestContext;
          const charge = charges.get(contextValue);
          const cost = costExtension(charge, requestContext, operation?.operation === 'mutation');
          if (charge?.taken?.allowed && cost.actualQueryCost !== null && cost.actualQueryCost < charge.requested) {
            // Give back what the estimate over-counted; not awaited: the answer is ready.
            store.take(charge.buckets, cost.actualQueryCost - charge.requested).catch((error) => onStoreError?.(error));
          }
          if (charge?.taken && !charge.taken.allowed) response.http.headers.set('retry-after', String(Math.ceil(charge.taken.retryAfterMs / 1000)));
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
        },
      };
    },
  };
}

function costExtension(charge: Charge | undefined, requestContext: GraphQLRequestContext<any>, mutation: boolean): CostExtension {
  if (!charge) return { requestedQueryCost: null, actualQueryCost: null, throttleStatus: null, userThrottleStatus: null };
  const body = requestContext.response.body;
  const served = charge.taken?.allowed !== false;
  const data = body?.kind === 'single' ? body.singleResult.data : undefined;
  const actual = served ? actualCost(data, { requested: charge.requested, mutation }) : 0;
  const refund = served ? charge.requested - actual : 0;
  const status = (i: number): ThrottleStatus | null => {
    const bucket = charge.buckets[i];
    const level = charge.taken?.available[i];
    if (level === undefined) return null;
    return { maximumAvailable: bucket.capacity, currentlyAvailable: Math.floor(Math.min(bucket.capacity, level + refund)), restoreRate: bucket.refillPerSecond };
  };
  return { requestedQueryCost: charge.requested, actualQueryCost: actual, throttleStatus: status(0), userThrottleStatus: status(1) };
}
