import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, getNamedType, getNullableType, isLeafType, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '@stockline/errors';
import { Limit, tooComplex } from '../limits/too-complex.ts';

/** Cost of a list that takes no `first`: we assume this many elements (stock levels, order lines). */
export const DEFAULT_LIST_SIZE = 10;
/** A connection's page size when `first` is not given, as its SDL defaults say. */
export const DEFAULT_PAGE_SIZE = 50;

export interface QueryCostLimitOptions {
  /** Largest cost an operation may have. @default 10000 */
  maxCost?: number;
}

/**
 * Shopify-like costs: a scalar is free; an object costs 1 plus its fields; a connection (a field taking
 * `first`) costs 2 plus `first` times one element (its `nodes`/`edges` count one element); any other
 * list DEFAULT_LIST_SIZE elements; a mutation field 10 plus what it returns.
 */
const estimateCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const element = isLeafType(getNamedType(field.type)) ? childComplexity : 1 + childComplexity;
  if (type.name === 'Mutation') return 10 + childComplexity;
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' ? Math.max(args.first, 1) : DEFAULT_PAGE_SIZE;
    return 2 + first * childComplexity;
  }
  if (type.name.endsWith('Connection') && (field.name === 'nodes' || field.name === 'edges')) return element;
  if (isListType(getNullableType(field.type))) return DEFAULT_LIST_SIZE * element;
  return element;
};

const requestedCosts = new WeakMap<object, number>();

/** What costing needs of a request (Apollo's request context has it after operation resolution). */
interface Costable {
  schema: GraphQLSchema;
  document: DocumentNode;
  request: { variables?: Record<string, unknown> };
  operationName: string | null;
  contextValue: object;
}

/**
 * The estimated cost of the request's operation, computed once per request (the cost limit and the
 * rate limiter both ask). BAD_USER_INPUT when a variable has the wrong type.
 */
export function operationCost({ schema, document, request, operationName, contextValue }: Costable): number {
  const known = requestedCosts.get(contextValue);
  if (known !== undefined) return known;
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: request.variables ?? {},
      estimators: [estimateCost, simpleEstimator({ defaultComplexity: 0 })],
    });
  } catch (error) {
    // Costing coerces the variables first; a value of the wrong type is the caller's error: 400, as
    // Apollo answers a variable it cannot coerce (thrown from a plugin, it would otherwise be a 500).
    if (error instanceof GraphQLError) throw new GraphQLError(error.message, { extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } } });
    throw error;
  }
  requestedCosts.set(contextValue, cost);
  return cost;
}

/** The cost estimated for the request whose context this is (undefined before costing). */
export function requestedCostOf(context: object): number | undefined {
  return requestedCosts.get(context);
}

/**
 * Refuses, before any subgraph is called, an operation whose estimated cost is over `maxCost`,
 * with QUERY_TOO_COMPLEX and the cost and the limit in `extensions` (`limit: "cost"`, `max`, `measured`,
 * and `cost`/`maxCost` as before).
 */
export function useQueryCostLimit<C extends BaseContext>({ maxCost = 10_000 }: QueryCostLimitOptions = {}): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          // No operation resolved: useSingleOperation refuses the request.
          if (!requestContext.operation) return;
          const cost = operationCost(requestContext as unknown as Costable);
          if (cost > maxCost) throw tooComplex(Limit.Cost, maxCost, cost, { cost, maxCost });
        },
      };
    },
  };
}
