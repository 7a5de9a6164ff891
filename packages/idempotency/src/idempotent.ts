import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { IdempotencyStore, type SqlClient } from './idempotency-store.ts';
import { requestHash } from './request-hash.ts';

export const keyReusedError = (field: string[]): UserError =>
  userError(UserErrorCode.IdempotencyKeyReused, 'This idempotencyKey was already used with a different input', field);

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
 * stored too, so a retry gets the same answer. Without a key, a failed outcome is still rolled back.
 */
export async function idempotent<R>(
  tx: SqlClient,
  { schema, tenantId, operation, key, input, reused, field = ['input', 'idempotencyKey'] }: IdempotentOptions<R>,
  run: () => Promise<{ result: R; failed: boolean }>,
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
  const { result, failed } = await run();
  if (failed) await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT effect');
  if (key) await store.saveResponses({ tenantId, operation, responses: [{ key, response: result }] });
  return result;
}
