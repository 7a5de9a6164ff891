import { BadUserInputError } from '@stockline/errors';
import { connectionFrom, decodeCursor, pageSize, type Actor } from '@stockline/service';
import { AuditEntryRepository } from '../data/audit-entry.repository.ts';
import type { Db } from '../data/prisma.ts';
import type { NewAuditEntry } from './records.ts';

const isSeqCursor = (v: unknown): v is { seq: string } => typeof v === 'object' && v !== null && typeof (v as { seq?: unknown }).seq === 'string' && /^\d{1,19}$/.test((v as { seq: string }).seq);
const MAX_ACTION = 100;

/** The audit trail: appended by this service's own changes and by the gateway (catalog and location changes); read by admins of the tenant. */
export class AuditService {
  constructor(private readonly db: Db) {}

  record(entry: NewAuditEntry): Promise<void> {
    return new AuditEntryRepository(this.db).append(entry);
  }

  /** Newest first, `first` per page, optionally one action only. */
  async listAuditLog(actor: Actor, { first, after, action }: { first?: number | null; after?: string | null; action?: string | null }) {
    const limit = pageSize(first);
    if (action != null && (action.length === 0 || action.length > MAX_ACTION)) throw new BadUserInputError(`"action" must be 1 to ${MAX_ACTION} characters`, 'action');
    const cursor = decodeCursor(after, isSeqCursor);
    const beforeSeq = cursor ? BigInt(cursor.seq) : null;
    const repository = new AuditEntryRepository(this.db);
    const rows = await repository.page({ tenantId: actor.tenantId, action: action ?? null, beforeSeq, limit: limit + 1 });
    return connectionFrom(rows, {
      first: limit,
      after: cursor,
      cursorOf: (r) => ({ seq: r.seq.toString() }),
      totalCount: () => repository.count({ tenantId: actor.tenantId, action: action ?? null }),
    });
  }
}
