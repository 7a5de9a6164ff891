import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode, QueryTooComplexError } from '@stockline/errors';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo wraps every validation error as GRAPHQL_VALIDATION_FAILED; a limit reported by a
 * validation rule keeps its own code (QUERY_TOO_COMPLEX) so clients see one code for every limit.
 */
export function restoreRefusalCode(format: FormatError): FormatError {
  return (formatted, error) => {
    const original = (error as GraphQLError | undefined)?.originalError;
    if (original instanceof QueryTooComplexError && formatted.extensions?.code !== ErrorCode.QueryTooComplex) {
      formatted = { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.QueryTooComplex } };
    }
    return format(formatted, error);
  };
}
