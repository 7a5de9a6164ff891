import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { IdempotencyStore, claimKeys, idempotent, isValidationRefusal, requestHash, type SqlClient } from '../src/index.ts';

const SCHEMA = 'keys_test';
let database: TestDatabase | null = null;
let pool: pg.Pool;

beforeAll(async () => {
  // Under `npm run test:mutation` a database shared by the runs of one worker (test/mutation/global-setup.ts).
  const shared = inject('scratchDatabaseUrl');
  if (!shared) database = await createTestDatabase('idempotency');
  pool = new pg.Pool({ connectionString: shared ?? database!.url, max: 3 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.idempotency_keys (
    tenant_id text NOT NULL, operation text NOT NULL, key text NOT NULL, request_hash text NOT NULL, response jsonb,
    created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (tenant_id, operation, key))`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.effects (tenant_id text NOT NULL, note text NOT NULL)`);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

let tenants = 0;
const newTenant = () => `tenant-${randomUUID()}-${++tenants}`;

/** Runs `fn` in one transaction on one connection, through the SqlClient surface the package takes. */
async function inTx<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const tx: SqlClient = {
    $queryRawUnsafe: async <R>(q: string, ...v: unknown[]) => (await client.query(q, v)).rows as R,
    $executeRawUnsafe: async (q: string, ...v: unknown[]) => (await client.query(q, v)).rowCount ?? 0,
  };
  try {
    await client.query('BEGIN');
    const result = await fn(tx);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function keys(tenantId: string) {
  const { rows } = await pool.query(`SELECT operation, key, request_hash AS hash, response FROM ${SCHEMA}.idempotency_keys WHERE tenant_id = $1 ORDER BY operation, key`, [tenantId]);
  return rows;
}
async function effects(tenantId: string) {
  const { rows } = await pool.query(`SELECT note FROM ${SCHEMA}.effects WHERE tenant_id = $1 ORDER BY note`, [tenantId]);
  return rows.map((r) => r.note);
}

type Payload = { value: string | null; userErrors: { code: string; field?: string[] | null; message?: string }[] };
const reused = (error: Payload['userErrors'][number]): Payload => ({ value: null, userErrors: [error] });

/** One call of `idempotent` that writes an effect row and answers `outcome`. */
function call(tenantId: string, key: string | null, input: unknown, outcome: { result: Payload; failed: boolean }, { operation = 'op', field }: { operation?: string; field?: string[] } = {}) {
  let ran = false;
  const result = inTx((tx) =>
    idempotent<Payload>(tx, { schema: SCHEMA, tenantId, operation, key, input, reused, field }, async () => {
      ran = true;
      await tx.$executeRawUnsafe(`INSERT INTO ${SCHEMA}.effects (tenant_id, note) VALUES ($1, $2)`, tenantId, JSON.stringify(input));
      return outcome;
    }),
  );
  return result.then((r) => ({ result: r, ran }));
}

const ok = (value: string) => ({ result: { value, userErrors: [] }, failed: false });
const refused = (code: string) => ({ result: { value: null, userErrors: [{ code }] }, failed: true });

describe('idempotent', () => {
  it('runs a keyed request once, stores its answer with the request hash, and replays it without running again', async () => {
    const tenant = newTenant();
    const first = await call(tenant, 'k', { n: 1 }, ok('first'));
    expect(first).toEqual({ result: { value: 'first', userErrors: [] }, ran: true });
    const again = await call(tenant, 'k', { n: 1 }, ok('second'));
    expect(again).toEqual({ result: { value: 'first', userErrors: [] }, ran: false });
    expect(await effects(tenant)).toEqual(['{"n":1}']);
    expect(await keys(tenant)).toEqual([{ operation: 'op', key: 'k', hash: requestHash({ n: 1 }), response: { value: 'first', userErrors: [] } }]);
  });

  it('refuses a key used before with another input, at the given field or input.idempotencyKey by default', async () => {
    const tenant = newTenant();
    await call(tenant, 'k', { n: 1 }, ok('first'));
    const other = await call(tenant, 'k', { n: 2 }, ok('other'));
    expect(other).toEqual({ result: { value: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'], message: 'This idempotencyKey was already used with a different input' }] }, ran: false });
    const elsewhere = await call(tenant, 'k', { n: 3 }, ok('other'), { field: ['idempotencyKey'] });
    expect(elsewhere.result.userErrors[0].field).toEqual(['idempotencyKey']);
    expect(await effects(tenant)).toHaveLength(1);
  });

  it('scopes keys by tenant and by operation', async () => {
    const a = newTenant();
    const b = newTenant();
    await call(a, 'k', { n: 1 }, ok('a'));
    expect((await call(b, 'k', { n: 2 }, ok('b'))).result.value).toBe('b');
    expect((await call(a, 'k', { n: 3 }, ok('other op'), { operation: 'op2' })).result.value).toBe('other op');
    expect(await keys(a)).toHaveLength(2);
    expect(await keys(b)).toHaveLength(1);
  });

  it('rolls back the effect of a failed outcome and stores the refusal, which a retry gets again', async () => {
    const tenant = newTenant();
    const first = await call(tenant, 'k', { n: 1 }, refused('INSUFFICIENT_STOCK'));
    expect(first.result.userErrors).toEqual([{ code: 'INSUFFICIENT_STOCK' }]);
    expect(await effects(tenant)).toEqual([]);
    const retry = await call(tenant, 'k', { n: 1 }, ok('would succeed now'));
    expect(retry).toEqual({ result: { value: null, userErrors: [{ code: 'INSUFFICIENT_STOCK' }] }, ran: false });
    expect((await keys(tenant))[0].response).toEqual({ value: null, userErrors: [{ code: 'INSUFFICIENT_STOCK' }] });
  });

  it('stores nothing for a validation refusal, so the corrected request may use the same key', async () => {
    const tenant = newTenant();
    for (const code of ['INVALID_INPUT', 'NOT_FOUND', 'BAD_USER_INPUT']) {
      const key = `k-${code}`;
      expect((await call(tenant, key, { bad: true }, refused(code))).result.userErrors[0].code).toBe(code);
      expect(await keys(tenant)).toEqual([]);
      expect((await call(tenant, key, { bad: false }, ok('corrected'))).result.value).toBe('corrected');
      await pool.query(`DELETE FROM ${SCHEMA}.idempotency_keys WHERE tenant_id = $1`, [tenant]);
    }
    expect(await effects(tenant)).toEqual(['{"bad":false}', '{"bad":false}', '{"bad":false}']);
  });

  it('stores an outcome that did not fail whatever codes its payload carries, and replays it', async () => {
    const tenant = newTenant();
    const partial = { result: { value: 'partly applied', userErrors: [{ code: 'NOT_FOUND' }] }, failed: false };
    expect((await call(tenant, 'k', { n: 1 }, partial)).result.value).toBe('partly applied');
    expect(await keys(tenant)).toEqual([{ operation: 'op', key: 'k', hash: requestHash({ n: 1 }), response: partial.result }]);
    expect(await call(tenant, 'k', { n: 1 }, ok('again'))).toEqual({ result: partial.result, ran: false });
  });

  it('without a key runs every time and still rolls back a failed outcome', async () => {
    const tenant = newTenant();
    expect((await call(tenant, null, { n: 1 }, ok('a'))).ran).toBe(true);
    expect((await call(tenant, null, { n: 1 }, ok('a'))).ran).toBe(true);
    await call(tenant, null, { n: 2 }, refused('INSUFFICIENT_STOCK'));
    expect(await effects(tenant)).toEqual(['{"n":1}', '{"n":1}']);
    expect(await keys(tenant)).toEqual([]);
  });

  it('leaves the answer to a run that saved it itself, and saves it when the run did not', async () => {
    const tenant = newTenant();
    const answer = await inTx((tx) =>
      idempotent<Payload>(tx, { schema: SCHEMA, tenantId: tenant, operation: 'op', key: 'self', input: {}, reused }, async () => {
        await tx.$executeRawUnsafe(`UPDATE ${SCHEMA}.idempotency_keys SET response = '{"value":"saved by run","userErrors":[]}' WHERE tenant_id = $1 AND key = 'self'`, tenant);
        return { result: { value: 'returned', userErrors: [] }, failed: false, saved: true };
      }),
    );
    expect(answer.value).toBe('returned');
    expect((await keys(tenant))[0].response).toEqual({ value: 'saved by run', userErrors: [] });
    const failedButSaved = await inTx((tx) =>
      idempotent<Payload>(tx, { schema: SCHEMA, tenantId: tenant, operation: 'op', key: 'f', input: {}, reused }, async () => ({ result: { value: null, userErrors: [{ code: 'INSUFFICIENT_STOCK' }] }, failed: true, saved: true })),
    );
    expect(failedButSaved.userErrors[0].code).toBe('INSUFFICIENT_STOCK');
    expect((await keys(tenant)).find((k) => k.key === 'f')!.response).toEqual({ value: null, userErrors: [{ code: 'INSUFFICIENT_STOCK' }] });
  });

  it('makes a concurrent duplicate wait for the first and answer its stored result', async () => {
    const tenant = newTenant();
    const [a, b] = await Promise.all([call(tenant, 'k', { n: 1 }, ok('one')), call(tenant, 'k', { n: 1 }, ok('two'))]);
    expect([a.ran, b.ran].filter(Boolean)).toHaveLength(1);
    expect(a.result).toEqual(b.result);
    expect(await effects(tenant)).toHaveLength(1);
  });
});

describe('isValidationRefusal', () => {
  it('is true only when there are errors and every one has a validation code', () => {
    expect(isValidationRefusal({ userErrors: [{ code: 'INVALID_INPUT' }, { code: 'NOT_FOUND' }] })).toBe(true);
    expect(isValidationRefusal({ userErrors: [{ code: 'BAD_USER_INPUT' }] })).toBe(true);
    expect(isValidationRefusal({ userErrors: [{ code: 'INVALID_INPUT' }, { code: 'INSUFFICIENT_STOCK' }] })).toBe(false);
    expect(isValidationRefusal({ userErrors: [{ code: 'QUANTITY_STALE' }] })).toBe(false);
    expect(isValidationRefusal({ userErrors: [{}] })).toBe(false);
    expect(isValidationRefusal({ userErrors: [null] })).toBe(false);
    expect(isValidationRefusal({ userErrors: [] })).toBe(false);
    expect(isValidationRefusal({ userErrors: 'INVALID_INPUT' })).toBe(false);
    expect(isValidationRefusal({})).toBe(false);
    expect(isValidationRefusal(null)).toBe(false);
  });
});

describe('claimKeys', () => {
  const field = (i: number) => ['inputs', String(i), 'idempotencyKey'];

  it('claims new keys to run, replays stored ones, repeats a key used twice in the batch and refuses a reused one', async () => {
    const tenant = newTenant();
    await inTx(async (tx) => {
      const claims = await claimKeys(tx, { schema: SCHEMA, tenantId: tenant, operation: 'bulk', keys: ['old'], inputs: [{ n: 0 }], field });
      expect(claims.states).toEqual([{ kind: 'run', key: 'old' }]);
      await claims.save(() => ({ value: 'stored', userErrors: [] }));
    });
    const states = await inTx(async (tx) => {
      const claims = await claimKeys(tx, {
        schema: SCHEMA,
        tenantId: tenant,
        operation: 'bulk',
        keys: ['a', null, 'a', 'old', 'old', 'a', 'skipped', ''],
        inputs: [{ n: 1 }, { n: 2 }, { n: 1 }, { n: 0 }, { n: 9 }, { n: 5 }, { n: 6 }, { n: 7 }],
        skip: [false, false, false, false, false, false, true, false],
        field,
      });
      await claims.save((i) => ({ value: `answer ${i}`, userErrors: [] }));
      return claims.states;
    });
    const refusedAt = (i: number) => ({ kind: 'reused', error: { code: 'IDEMPOTENCY_KEY_REUSED', field: field(i), message: 'This idempotencyKey was already used with a different input' } });
    expect(states).toEqual([
      { kind: 'run', key: 'a' },
      { kind: 'none' },
      { kind: 'repeat', key: 'a', first: 0 },
      { kind: 'replay', key: 'old', response: { value: 'stored', userErrors: [] } },
      refusedAt(4),
      refusedAt(5),
      { kind: 'none' },
      { kind: 'none' },
    ]);
    expect(await keys(tenant)).toEqual([
      { operation: 'bulk', key: 'a', hash: requestHash({ n: 1 }), response: { value: 'answer 0', userErrors: [] } },
      { operation: 'bulk', key: 'old', hash: requestHash({ n: 0 }), response: { value: 'stored', userErrors: [] } },
    ]);
  });

  it('refuses every repeat of a key whose first use in the batch is refused as reused', async () => {
    const tenant = newTenant();
    await inTx(async (tx) => (await claimKeys(tx, { schema: SCHEMA, tenantId: tenant, operation: 'bulk', keys: ['k'], inputs: [{ n: 1 }], field })).save(() => ({ userErrors: [] })));
    const states = await inTx(async (tx) => (await claimKeys(tx, { schema: SCHEMA, tenantId: tenant, operation: 'bulk', keys: ['k', 'k'], inputs: [{ n: 2 }, { n: 2 }], field })).states);
    expect(states.map((s) => (s.kind === 'reused' ? s.error.field : s.kind))).toEqual([field(0), field(1)]);
  });

  it('releases the keys of inputs refused by validation and keeps the others', async () => {
    const tenant = newTenant();
    await inTx(async (tx) => {
      const claims = await claimKeys(tx, { schema: SCHEMA, tenantId: tenant, operation: 'bulk', keys: ['bad', 'good', 'short'], inputs: [{ n: 1 }, { n: 2 }, { n: 3 }], field });
      await claims.save((i) => ({ userErrors: [[{ code: 'NOT_FOUND' }], [], [{ code: 'INSUFFICIENT_STOCK' }]][i] }));
    });
    expect((await keys(tenant)).map((k) => [k.key, k.response])).toEqual([
      ['good', { userErrors: [] }],
      ['short', { userErrors: [{ code: 'INSUFFICIENT_STOCK' }] }],
    ]);
  });
});

describe('IdempotencyStore', () => {
  it('finds nothing and claims nothing for empty lists, and prunes only keys older than the given hours', async () => {
    const tenant = newTenant();
    await inTx(async (tx) => {
      const store = new IdempotencyStore(tx, SCHEMA);
      expect(await store.claim({ tenantId: tenant, operation: 'op', entries: [] })).toEqual(new Set());
      expect(await store.find({ tenantId: tenant, operation: 'op', keys: [] })).toEqual([]);
      await store.saveResponses({ tenantId: tenant, operation: 'op', responses: [] });
      await store.release({ tenantId: tenant, operation: 'op', keys: [] });
      expect(await store.claim({ tenantId: tenant, operation: 'op', entries: [{ key: 'old', requestHash: 'h1' }, { key: 'new', requestHash: 'h2' }] })).toEqual(new Set(['old', 'new']));
    });
    await pool.query(`UPDATE ${SCHEMA}.idempotency_keys SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key = 'old'`, [tenant]);
    await pool.query(`UPDATE ${SCHEMA}.idempotency_keys SET created_at = now() - interval '23 hours' WHERE tenant_id = $1 AND key = 'new'`, [tenant]);
    const pruned = await inTx((tx) => new IdempotencyStore(tx, SCHEMA).pruneOlderThan({ hours: 24 }));
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect((await keys(tenant)).map((k) => k.key)).toEqual(['new']);
  });
});
