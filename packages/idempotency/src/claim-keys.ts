import type { UserError } from '@stockline/errors';
import { IdempotencyStore, type SqlClient } from './idempotency-store.ts';
import { isValidationRefusal, keyReusedError } from './idempotent.ts';
import { requestHash } from './request-hash.ts';

/** What one input of a batch does about its idempotency key. */
export type KeyState =
  | { kind: 'none' }
  /** Claimed by this transaction: the input runs, its response is saved. */
  | { kind: 'run'; key: string }
  /** The same key with the same input earlier in this batch: it takes that input's result, its effect happens once. */
  | { kind: 'repeat'; key: string; first: number }
  /** Used before with the same input: answer the stored response. */
  | { kind: 'replay'; key: string; response: unknown }
  /** Used before (or earlier in the batch) with another input. */
  | { kind: 'reused'; error: UserError };

export interface KeyClaims {
  states: KeyState[];
  /** Saves each claimed key's response; a validation refusal releases its key instead (it stores nothing). */
  save(responseOf: (index: number) => unknown): Promise<void>;
}

/**
 * `idempotent` for a batch of inputs in one transaction: every key claimed in one statement, the stored
 * responses of keys seen before read in one more. `skip[i]` leaves input i out (it was refused already).
 */
export async function claimKeys(
  tx: SqlClient,
  { schema, tenantId, operation, keys, inputs, skip = [], field }: {
    schema: string;
    tenantId: string;
    operation: string;
    keys: (string | null | undefined)[];
    inputs: unknown[];
    skip?: boolean[];
    /** Path of input i's key, for IDEMPOTENCY_KEY_REUSED. */
    field: (index: number) => string[];
  },
): Promise<KeyClaims> {
  const store = new IdempotencyStore(tx, schema);
  const hashes = keys.map((key, i) => (key && !skip[i] ? requestHash(inputs[i]) : ''));
  const states: KeyState[] = keys.map(() => ({ kind: 'none' }));
  const firstUse = new Map<string, number>();
  keys.forEach((key, i) => {
    if (!key || skip[i]) return;
    const first = firstUse.get(key);
    if (first === undefined) firstUse.set(key, i);
    else states[i] = hashes[first] === hashes[i] ? { kind: 'repeat', key, first } : { kind: 'reused', error: keyReusedError(field(i)) };
  });
  const entries = [...firstUse.entries()].map(([key, i]) => ({ key, requestHash: hashes[i] }));
  const claimed = await store.claim({ tenantId, operation, entries });
  const stored = await store.find({ tenantId, operation, keys: entries.filter((e) => !claimed.has(e.key)).map((e) => e.key) });
  const storedByKey = new Map(stored.map((s) => [s.key, s]));
  for (const [key, i] of firstUse) {
    const previous = storedByKey.get(key);
    if (claimed.has(key)) states[i] = { kind: 'run', key };
    else if (previous && previous.requestHash === hashes[i]) states[i] = { kind: 'replay', key, response: previous.response };
    else states[i] = { kind: 'reused', error: keyReusedError(field(i)) };
  }
  // A repeat of a key whose first use is refused as reused is refused the same way.
  states.forEach((s, i) => {
    if (s.kind === 'repeat' && states[s.first].kind === 'reused') states[i] = { kind: 'reused', error: keyReusedError(field(i)) };
  });
  return {
    states,
    async save(responseOf) {
      const save: { key: string; response: unknown }[] = [];
      const release: string[] = [];
      states.forEach((s, i) => {
        if (s.kind !== 'run') return;
        const response = responseOf(i);
        if (isValidationRefusal(response)) release.push(s.key);
        else save.push({ key: s.key, response });
      });
      await store.release({ tenantId, operation, keys: release });
      await store.saveResponses({ tenantId, operation, responses: save });
    },
  };
}
