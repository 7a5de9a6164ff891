import { QueryTooComplexError } from '@stockline/errors';

/** Which limit a refused request went over. */
export enum Limit {
  Bytes = 'bytes',
  Batch = 'batch',
  Tokens = 'tokens',
  Depth = 'depth',
  Aliases = 'aliases',
  Directives = 'directives',
  Cost = 'cost',
}

const ADVICE: Record<Limit, string> = {
  [Limit.Bytes]: 'Send a smaller request body',
  [Limit.Batch]: 'Send one operation per request',
  [Limit.Tokens]: 'Send a shorter document (move values into variables)',
  [Limit.Depth]: 'Nest fewer selections',
  [Limit.Aliases]: 'Use fewer aliases (page through a connection instead)',
  [Limit.Directives]: 'Use fewer directives',
  [Limit.Cost]: 'Ask for fewer items per page or fewer nested lists',
};

/**
 * QUERY_TOO_COMPLEX naming the limit, its maximum and what the request measured
 * (`extensions: { code, limit, max, measured }`).
 */
export function tooComplex(limit: Limit, max: number, measured: number, extra: Record<string, unknown> = {}): QueryTooComplexError {
  return new QueryTooComplexError(`The request's ${limit} is ${measured}; the limit is ${max}. ${ADVICE[limit]}.`, { limit, max, measured, ...extra });
}
