import { idempotent as runIdempotent, type IdempotentOptions } from '@stockline/idempotency';
import { SCHEMA, type Tx } from '../data/prisma.ts';

export { keyReusedError, requestHash } from '@stockline/idempotency';

/** `idempotent` from @stockline/idempotency, with keys in the inventory schema. */
export function idempotent<R>(tx: Tx, options: Omit<IdempotentOptions<R>, 'schema'>, run: () => Promise<{ result: R; failed: boolean }>): Promise<R> {
  return runIdempotent(tx, { ...options, schema: SCHEMA }, run);
}
