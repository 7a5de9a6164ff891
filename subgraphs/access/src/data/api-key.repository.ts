import type { Db, Tx } from './prisma.ts';
import type { ApiKeyPrincipal, ApiKeyRecord } from '../domain/records.ts';

const PUBLIC = { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

/** API keys of every tenant; each method is scoped by tenant except the lookup by hash, which names its own tenant. */
export class ApiKeyRepository {
  constructor(private readonly db: Db | Tx) {}

  create(data: { tenantId: string; name: string; prefix: string; secretHash: string; scopes: string[]; createdBy: string; expiresAt: Date | null }): Promise<ApiKeyRecord> {
    return this.db.apiKey.create({ data, select: PUBLIC });
  }

  listByTenant({ tenantId }: { tenantId: string }): Promise<ApiKeyRecord[]> {
    return this.db.apiKey.findMany({ where: { tenantId }, select: PUBLIC, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  findById({ tenantId, id }: { tenantId: string; id: string }): Promise<ApiKeyRecord | null> {
    return this.db.apiKey.findFirst({ where: { tenantId, id }, select: PUBLIC });
  }

  /** Sets revokedAt once; returns the key and its hash when this call revoked it, null when it was revoked already or is not the tenant's. */
  async revoke({ tenantId, id, at }: { tenantId: string; id: string; at: Date }): Promise<{ key: ApiKeyRecord; secretHash: string } | null> {
    const { count } = await this.db.apiKey.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: at } });
    if (count === 0) return null;
    const row = await this.db.apiKey.findFirstOrThrow({ where: { tenantId, id }, select: { ...PUBLIC, secretHash: true } });
    const { secretHash, ...key } = row;
    return { key, secretHash };
  }

  /** The usable key with this hash (not revoked, not expired at `now`), with the stored hash to compare. */
  async findUsableByHash({ secretHash, now }: { secretHash: string; now: Date }): Promise<(ApiKeyPrincipal & { secretHash: string }) | null> {
    const row = await this.db.apiKey.findFirst({
      where: { secretHash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true, tenantId: true, name: true, scopes: true, expiresAt: true, secretHash: true },
    });
    return row && { keyId: row.id, tenantId: row.tenantId, name: row.name, scopes: row.scopes, expiresAt: row.expiresAt, secretHash: row.secretHash };
  }

  async touchLastUsed({ id, at }: { id: string; at: Date }): Promise<void> {
    await this.db.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } });
  }
}
