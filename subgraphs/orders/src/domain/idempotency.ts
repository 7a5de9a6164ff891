import { createHash } from 'node:crypto';
import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { IdempotencyRepository } from '../data/idempotency.repository.ts';
import type { Tx } from '../data/prisma.ts';

/** sha256 of the input with sorted keys, the idempotency key itself left out. */
export function requestHash(input: unknown): string {
  return createHash('sha256').update(stableJson(input)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => k !== 'idempotencyKey' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const keyReusedError = (field: string[]): UserError =>
  userError(UserErrorCode.IdempotencyKeyReused, 'This idempotencyKey was already used with a different input', field);

export interface IdempotentOptions<R> {
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
  tx: Tx,
  { tenantId, operation, key, input, reused, field = ['input', 'idempotencyKey'] }: IdempotentOptions<R>,
  run: () => Promise<{ result: R; failed: boolean }>,
): Promise<R> {
  const repo = new IdempotencyRepository(tx);
  const hash = requestHash(input);
  if (key) {
    const claimed = await repo.claim({ tenantId, operation, entries: [{ key, requestHash: hash }] });
    if (!claimed.has(key)) {
      const [stored] = await repo.find({ tenantId, operation, keys: [key] });
      if (stored.requestHash !== hash) return reused(keyReusedError(field));
      return stored.response as R;
    }
  }
  await tx.$executeRaw`SAVEPOINT effect`;
  const { result, failed } = await run();
  if (failed) await tx.$executeRaw`ROLLBACK TO SAVEPOINT effect`;
  if (key) await repo.saveResponses({ tenantId, operation, responses: [{ key, response: result }] });
  return result;
}
