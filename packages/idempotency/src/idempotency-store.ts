/** What the store needs of a Prisma client or transaction client. */
export interface SqlClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export interface StoredResponse {
  key: string;
  requestHash: string;
  response: unknown;
}

/**
 * Idempotency keys of one service, in its schema's `idempotency_keys` table
 * (tenant_id, operation, key, request_hash, response jsonb, created_at), scoped to (tenant, operation).
 */
export class IdempotencyStore {
  private readonly table: string;

  constructor(
    private readonly db: SqlClient,
    schema: string,
  ) {
    this.table = `"${schema}".idempotency_keys`;
  }

  /**
   * Claims keys; returns the ones this transaction claimed. A key another open transaction is claiming
   * makes this wait for it to end (the unique index), so concurrent duplicates line up behind the first.
   */
  async claim({ tenantId, operation, entries }: { tenantId: string; operation: string; entries: { key: string; requestHash: string }[] }) {
    if (entries.length === 0) return new Set<string>();
    const rows = await this.db.$queryRawUnsafe<{ key: string }[]>(
      `INSERT INTO ${this.table} (tenant_id, operation, key, request_hash)
       SELECT $1, $2, u.key, u.hash FROM unnest($3::text[], $4::text[]) AS u(key, hash) ORDER BY u.key
       ON CONFLICT DO NOTHING RETURNING key`,
      tenantId,
      operation,
      entries.map((e) => e.key),
      entries.map((e) => e.requestHash),
    );
    return new Set(rows.map((r) => r.key));
  }

  find({ tenantId, operation, keys }: { tenantId: string; operation: string; keys: string[] }): Promise<StoredResponse[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.db.$queryRawUnsafe<StoredResponse[]>(
      `SELECT key, request_hash AS "requestHash", response FROM ${this.table} WHERE tenant_id = $1 AND operation = $2 AND key = ANY($3::text[])`,
      tenantId,
      operation,
      keys,
    );
  }

  async saveResponses({ tenantId, operation, responses }: { tenantId: string; operation: string; responses: { key: string; response: unknown }[] }) {
    if (responses.length === 0) return;
    await this.db.$executeRawUnsafe(
      `UPDATE ${this.table} k SET response = u.response
       FROM unnest($3::text[], $4::jsonb[]) AS u(key, response)
       WHERE k.tenant_id = $1 AND k.operation = $2 AND k.key = u.key`,
      tenantId,
      operation,
      responses.map((r) => r.key),
      responses.map((r) => JSON.stringify(r.response)),
    );
  }

  /** Forgets keys claimed in this transaction whose request was refused before it started (nothing is stored). */
  async release({ tenantId, operation, keys }: { tenantId: string; operation: string; keys: string[] }) {
    if (keys.length === 0) return;
    await this.db.$executeRawUnsafe(`DELETE FROM ${this.table} WHERE tenant_id = $1 AND operation = $2 AND key = ANY($3::text[])`, tenantId, operation, keys);
  }

  /** Forgets keys older than `hours` (the contract promises at least 24). */
  pruneOlderThan({ hours }: { hours: number }): Promise<number> {
    return this.db.$executeRawUnsafe(`DELETE FROM ${this.table} WHERE created_at < now() - make_interval(hours => $1)`, hours);
  }
}
