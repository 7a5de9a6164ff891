import { idempotent as runIdempotent, type IdempotentOptions } from '@stockline/idempotency';
import { SCHEMA, type Tx } from '../data/prisma.ts';

/** `idempotent` from @stockline/idempotency, with keys in the orders schema. */
export function idempotent<R>(tx: Tx, options: Omit<IdempotentOptions<R>, 'schema'>, run: () => Promise<{ result: R; failed: boolean }>): Promise<R> {
  return runIdempotent(tx, { ...options, schema: SCHEMA }, run);
}
