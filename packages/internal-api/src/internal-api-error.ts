import { z } from 'zod';

/** Every service-to-service API is mounted under this prefix. */
export const INTERNAL_API_BASE = '/internal/v1';

/**
 * Why an internal call got no business answer (a non-200 status). Business outcomes are 200 with
 * `userErrors`; these are the transport-level refusals, with the status each comes with.
 */
export enum InternalApiErrorCode {
  /** 400: the body does not match the route's request schema; `issues` says where. */
  BadRequest = 'BAD_USER_INPUT',
  /** 401: no valid token. */
  Unauthenticated = 'UNAUTHENTICATED',
  /** 403: a valid token that is not a service's. */
  Forbidden = 'FORBIDDEN',
  /** 500: the callee failed; the call may be retried with the same idempotency key. */
  Internal = 'INTERNAL_SERVER_ERROR',
}

export const INTERNAL_API_STATUS: Record<InternalApiErrorCode, number> = {
  [InternalApiErrorCode.BadRequest]: 400,
  [InternalApiErrorCode.Unauthenticated]: 401,
  [InternalApiErrorCode.Forbidden]: 403,
  [InternalApiErrorCode.Internal]: 500,
};

/** The body of every non-200 answer. */
export const internalApiErrorBody = z.object({
  code: z.enum(InternalApiErrorCode),
  message: z.string(),
  /** For BAD_USER_INPUT: each problem with the path to the offending field. */
  issues: z.array(z.object({ path: z.array(z.string()), message: z.string() })).optional(),
});
export type InternalApiErrorBody = z.output<typeof internalApiErrorBody>;

/** A BAD_USER_INPUT body naming every field that failed `schema` (e.g. `lines.0.quantity: expected number, received string`). */
export function badRequestBody(error: z.ZodError): InternalApiErrorBody {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
  return {
    code: InternalApiErrorCode.BadRequest,
    message: issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    issues,
  };
}
