import type pg from 'pg';
import type { DomainEvent, Topic } from './domain-event.ts';
import { toDomainEvent } from './outbox-relay.ts';

/**
 * A tenant's numbered events after `afterSeq`, oldest first: the replay half of a resumable stream.
 * Reaches back as far as the relay's retention (7 days by default).
 */
export async function readEventsAfter(
  pool: pg.Pool,
  { stream, tenantId, afterSeq, limit = 1000, types }: { stream: string; tenantId: string; afterSeq: number; limit?: number; types?: Topic[] },
): Promise<DomainEvent[]> {
  const { rows } = await pool.query(
    `SELECT event_id, tenant_id, seq, type, payload, occurred_at FROM "${stream}".outbox_events
     WHERE tenant_id = $1 AND seq > $2 AND ($4::text[] IS NULL OR type = ANY($4)) ORDER BY seq LIMIT $3`,
    [tenantId, afterSeq, limit, types ?? null],
  );
  return rows.map((row) => toDomainEvent(stream, row));
}
