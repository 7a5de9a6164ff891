import type { Db, Tx } from './prisma.ts';

export interface StoredResponse {
  key: string;
  requestHash: string;
  response: unknown;
}

/** Idempotency keys, scoped to (tenant, operation). Claimed in the transaction of the effect they guard. */
export class IdempotencyRepository {
  constructor(private readonly db: Db | Tx) {}

  /**
   * Claims keys; returns the ones this transaction claimed. A key another open transaction is claiming
   * makes this wait for it to end (the unique index), so concurrent duplicates line up behind the first.
   */
  async claim({ tenantId, operation, entries }: { tenantId: string; operation: string; entries: { key: string; requestHash: string }[] }) {
    if (entries.length === 0) return new Set<string>();
    const rows = await this.db.$queryRaw<{ key: string }[]>`
      INSERT INTO orders.idempotency_keys (tenant_id, operation, key, request_hash)
      SELECT ${tenantId}, ${operation}, u.key, u.hash FROM unnest(${entries.map((e) => e.key)}::text[], ${entries.map((e) => e.requestHash)}::text[]) AS u(key, hash)
      ORDER BY u.key
      ON CONFLICT DO NOTHING
      RETURNING key`;
    return new Set(rows.map((r) => r.key));
  }

  find({ tenantId, operation, keys }: { tenantId: string; operation: string; keys: string[] }): Promise<StoredResponse[]> {
    return this.db.$queryRaw<StoredResponse[]>`
      SELECT key, request_hash AS "requestHash", response FROM orders.idempotency_keys
      WHERE tenant_id = ${tenantId} AND operation = ${operation} AND key = ANY(${keys}::text[])`;
  }

  async saveResponses({ tenantId, operation, responses }: { tenantId: string; operation: string; responses: { key: string; response: unknown }[] }) {
    if (responses.length === 0) return;
    await this.db.$executeRaw`
      UPDATE orders.idempotency_keys k SET response = u.response
      FROM unnest(${responses.map((r) => r.key)}::text[], ${responses.map((r) => JSON.stringify(r.response))}::jsonb[]) AS u(key, response)
      WHERE k.tenant_id = ${tenantId} AND k.operation = ${operation} AND k.key = u.key`;
  }

  /** Forgets keys older than the retention (at least 24 h, as the contract promises). */
  pruneOlderThan({ hours }: { hours: number }): Promise<number> {
    return this.db.$executeRaw`DELETE FROM orders.idempotency_keys WHERE created_at < now() - make_interval(hours => ${hours})`;
  }
}
