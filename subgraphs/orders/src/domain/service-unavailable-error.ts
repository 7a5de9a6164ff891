import { GraphQLError } from 'graphql';
import { ErrorCode } from '@stockline/errors';

/**
 * Inventory gave no answer in time. What was asked is recorded and will complete (the recovery loop
 * finishes it); the client should retry with the same idempotencyKey to get the outcome.
 */
export class ServiceUnavailableError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.ServiceUnavailable, http: { status: 503 } } });
  }
}
