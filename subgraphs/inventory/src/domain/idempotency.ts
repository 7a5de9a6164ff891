import { idempotent as runIdempotent, type IdempotentOptions } from '@stockline/idempotency';
import { SCHEMA, type Tx } from '../data/prisma.ts';
import { sql, type SqlFragment } from '../data/sql.ts';

export { keyReusedError, requestHash } from '@stockline/idempotency';

/** `idempotent` from @stockline/idempotency, with keys in the inventory schema. */
export function idempotent<R>(tx: Tx, options: Omit<IdempotentOptions<R>, 'schema'>, run: () => Promise<{ result: R; failed: boolean; saved?: boolean }>): Promise<R> {
  return runIdempotent(tx, { ...options, schema: SCHEMA }, run);
}

/**
 * Stores `response` under a key this transaction claimed, as a CTE for the statement that makes the effect
 * (StockLedger.commit's `also`); `run` then answers `saved: true`. Same JSON as the store's saveResponses.
 */
export function saveResponseStatement({ tenantId, operation, key, response, movementIdAt }: {
  tenantId: string;
  operation: string;
  key: string;
  response: unknown;
  /** Where in `response` the id of the statement's first ledger line goes (it is known only once inserted). */
  movementIdAt?: string[];
}): SqlFragment {
  const json = JSON.stringify(response);
  const value = movementIdAt ? sql`jsonb_set(${json}::jsonb, ${movementIdAt}::text[], to_jsonb((SELECT id::text FROM mo WHERE ord = 1)))` : sql`${json}::jsonb`;
  return sql`ik AS (
    UPDATE inventory.idempotency_keys SET response = ${value}
    WHERE tenant_id = ${tenantId} AND operation = ${operation} AND key = ${key})`;
}
