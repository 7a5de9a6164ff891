export { ErrorCode } from './error-code.ts';
export { UserErrorCode, userError, type UserError } from './user-error.ts';
export {
  AuthenticationError,
  ForbiddenError,
  BadUserInputError,
  NotFoundError,
  RateLimitedError,
  QueryTooComplexError,
  ServiceUnavailableError,
} from './graphql-errors.ts';
export { maskError, isDatabaseUnavailable } from './mask-error.ts';
