import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './error-code.ts';

const EXPOSED = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

export interface MaskErrorOptions {
  /** Keep stack traces and original messages (development only). @default false */
  expose?: boolean;
  /** Called with every masked error, for logging. */
  onMasked?: (formatted: GraphQLFormattedError, original: unknown) => void;
}

/**
 * Apollo `formatError`: known codes pass through; anything else becomes INTERNAL_SERVER_ERROR
 * with a generic message. Never throws.
 */
export function maskError({ expose = false, onMasked }: MaskErrorOptions = {}) {
  return (formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError => {
    try {
      const code = String(formatted.extensions?.code ?? '');
      if (EXPOSED.has(code) && code !== ErrorCode.InternalServerError) {
        if (expose) return formatted;
        const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
        return { ...formatted, extensions };
      }
      onMasked?.(formatted, original);
      if (expose) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.InternalServerError } };
      return {
        message: 'Internal server error',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.InternalServerError },
      };
    } catch {
      return { message: 'Internal server error', extensions: { code: ErrorCode.InternalServerError } };
    }
  };
}
