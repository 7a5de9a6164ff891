import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-code.ts';

/** Missing, expired or forged credentials. */
export class AuthenticationError extends GraphQLError {
  constructor(message = 'A valid bearer token is required') {
    super(message, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
  }
}

/** Authenticated, but the role does not allow the operation. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.Forbidden, http: { status: 403 } } });
  }
}

/** Arguments outside what the API accepts (limits, malformed cursors). */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: ErrorCode.BadUserInput, ...(field ? { field } : {}) } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.NotFound } });
  }
}

/** Too many requests; the client should wait `retryAfterMs`. */
export class RateLimitedError extends GraphQLError {
  constructor(retryAfterMs: number) {
    super(`Rate limit exceeded; retry after ${retryAfterMs} ms`, {
      extensions: { code: ErrorCode.RateLimited, retryAfterMs, http: { status: 429 } },
    });
  }
}

/** The query's estimated cost or depth is over the limit. */
export class QueryTooComplexError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code: ErrorCode.QueryTooComplex, ...extensions } });
  }
}

/**
 * A dependency gave no answer in time; what was asked is recorded and will complete, so the client
 * should retry with the same idempotencyKey. HTTP status stays 200 so the gateway relays the code.
 */
export class ServiceUnavailableError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.ServiceUnavailable } });
  }
}
