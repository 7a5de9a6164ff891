import type { Db, Tx } from './prisma.ts';
import type { AuditEntryRecord, NewAuditEntry } from '../domain/records.ts';

const SELECT = { seq: true, id: true, actorId: true, action: true, details: true, requestId: true, occurredAt: true } as const;

/** The append-only audit trail (the table refuses UPDATE and DELETE); every read is scoped by tenant. */
export class AuditEntryRepository {
  constructor(private readonly db: Db | Tx) {}

  async append(entry: NewAuditEntry): Promise<void> {
    await this.db.auditEntry.create({ data: { ...entry, details: entry.details as object }, select: { seq: true } });
  }

  /** Newest first, strictly before `beforeSeq` when given. */
  page({ tenantId, action, beforeSeq, limit }: { tenantId: string; action: string | null; beforeSeq: bigint | null; limit: number }): Promise<AuditEntryRecord[]> {
    return this.db.auditEntry.findMany({
      where: { tenantId, ...(action ? { action } : {}), ...(beforeSeq != null ? { seq: { lt: beforeSeq } } : {}) },
      select: SELECT,
      orderBy: { seq: 'desc' },
      take: limit,
    });
  }

  count({ tenantId, action }: { tenantId: string; action: string | null }): Promise<number> {
    return this.db.auditEntry.count({ where: { tenantId, ...(action ? { action } : {}) } });
  }
}
