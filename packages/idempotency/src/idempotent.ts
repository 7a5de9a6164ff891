import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { IdempotencyStore, type SqlClient } from './idempotency-store.ts';
import { requestHash } from './request-hash.ts';

export const keyReusedError = (field: string[]): UserError =>
  userError(UserErrorCode.IdempotencyKeyReused, 'This idempotencyKey was already used with a different input', field);

/**
 * Codes of a request refused by validation: it never started, so its key stores nothing and the corrected
 * request may use the same key (Stripe's rule). Business outcomes (INSUFFICIENT_STOCK, QUANTITY_STALE, …)
 * and successes are stored and replayed.
 */
export const VALIDATION_CODES: ReadonlySet<string> = new Set(['INVALID_INPUT', 'NOT_FOUND', 'BAD_USER_INPUT']);

/** Whether a payload's userErrors are all validation refusals (and there is at least one). */
export function isValidationRefusal(result: unknown): boolean {
  const errors = (result as { userErrors?: { code?: string }[] } | null)?.userErrors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => !!e?.code && VALIDATION_CODES.has(e.code));
}

export interface IdempotentOptions<R> {
  /** The service's schema, holding its idempotency_keys table. */
  schema: string;
  tenantId: string;
  /** The scope of the key besides the tenant, e.g. "adjustStock". */
  operation: string;
  key: string | null | undefined;
  input: unknown;
  /** The payload to return when the key was used with another input. */
  reused: (error: UserError) => R;
  /** Field path of the key in the input, for the error. @default ['input', 'idempotencyKey'] */
  field?: string[];
}

/**
 * Runs `run` in the caller's transaction at most once per key. The key is claimed in the same
 * transaction as the effect, so concurrent duplicates wait for the first and then all return its
 * stored result; a failed outcome (`failed: true`) is rolled back to a savepoint and its result is
 * stored too, so a retry gets the same answer — unless it is a validation refusal (`isValidationRefusal`):
 * then the key is released and stores nothing. Without a key, a failed outcome is still rolled back.
 * A successful `run` may answer `saved: true` when it stored `result` under the key itself, in the statement
 * that made its effect (one round trip fewer while it holds its locks). Its table: `<schema>.idempotency_keys`,
 * the response as `JSON.stringify(result)`, like `IdempotencyStore.saveResponses`.
 */
export async function idempotent<R>(
  tx: SqlClient,
  { schema, tenantId, operation, key, input, reused, field = ['input', 'idempotencyKey'] }: IdempotentOptions<R>,
  run: () => Promise<{ result: R; failed: boolean; saved?: boolean }>,
): Promise<R> {
  const store = new IdempotencyStore(tx, schema);
  const hash = requestHash(input);
  if (key) {
    const claimed = await store.claim({ tenantId, operation, entries: [{ key, requestHash: hash }] });
    if (!claimed.has(key)) {
      const [stored] = await store.find({ tenantId, operation, keys: [key] });
      if (stored.requestHash !== hash) return reused(keyReusedError(field));
      return stored.response as R;
    }
  }
  await tx.$executeRawUnsafe('SAVEPOINT effect');
  const { result, failed, saved = false } = await run();
  if (failed) await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT effect');
  if (key && failed && isValidationRefusal(result)) await store.release({ tenantId, operation, keys: [key] });
  else if (key && !(saved && !failed)) await store.saveResponses({ tenantId, operation, responses: [{ key, response: result }] });
  return result;
}
