import type { GraphQLError, ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Limit, tooComplex } from './too-complex.ts';

export interface QueryLimitRulesOptions {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

/** GraphQL Armor reports "… limit of N exceeded, found M."; M is the measured value. */
const FOUND = /found (\d+)/;

/**
 * Validation rules (GraphQL Armor's) refusing documents too deep, with too many aliases or
 * directives. They run once per distinct document (Apollo caches validated documents) and report
 * QUERY_TOO_COMPLEX with the limit and the measured value instead of Armor's plain message.
 */
export function queryLimitRules({ maxDepth, maxAliases, maxDirectives }: QueryLimitRulesOptions): ValidationRule[] {
  const reporter = (limit: Limit, max: number) => [
    (context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => {
      const measured = Number(FOUND.exec(error.message)?.[1] ?? max + 1);
      context?.reportError(tooComplex(limit, max, measured));
    },
  ];
  const common = { exposeLimits: true, propagateOnRejection: false };
  return [
    maxDepthRule({ ...common, n: maxDepth, onReject: reporter(Limit.Depth, maxDepth) }),
    maxAliasesRule({ ...common, n: maxAliases, onReject: reporter(Limit.Aliases, maxAliases) }),
    maxDirectivesRule({ ...common, n: maxDirectives, onReject: reporter(Limit.Directives, maxDirectives) }),
  ] as ValidationRule[];
}
