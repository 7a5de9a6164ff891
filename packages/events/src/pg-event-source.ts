import type pg from 'pg';
import { CursorExpiredError, CursorInvalidError, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type EventPage, type EventQuery, type EventSource } from './event-source.ts';
import { toDomainEvent, type OutboxRow } from './outbox-relay.ts';

/**
 * The owning service's reader of its own outbox: numbered events only (a number is given in the
 * relay's transaction, so everything at or below the head is committed and will not change).
 * One statement per page, so the events and the head come from one snapshot.
 */
export function createPgEventSource({ pool, schema }: { pool: pg.Pool; schema: string }): EventSource {
  return {
    async read({ stream, tenantId, after, limit = DEFAULT_PAGE_SIZE, types, headOnly }: EventQuery): Promise<EventPage> {
      if (stream !== schema) throw new Error(`This service owns stream "${schema}", not "${stream}"`);
      if (headOnly) {
        const { rows } = await pool.query<{ head: string }>(
          tenantId !== undefined
            ? `SELECT last_seq AS head FROM "${schema}".tenant_sequences WHERE tenant_id = $1`
            : `SELECT last_pos AS head FROM "${schema}".stream_state WHERE $1::text IS NULL`,
          [tenantId ?? null],
        );
        const head = Number(rows[0]?.head ?? 0);
        return { events: [], through: head, head };
      }
      const size = Math.min(Math.max(1, limit), MAX_PAGE_SIZE);
      const typeList = types?.length ? types : null;
      const perTenant = tenantId !== undefined;
      const { rows } = await pool.query<{ head: string | null; pruned: string | null; rows: (OutboxRow & { k: string })[] | null; scanned: string | null; n: string }>(
        perTenant
          ? `WITH state AS (SELECT last_seq AS head, pruned_through_seq AS pruned FROM "${schema}".tenant_sequences WHERE tenant_id = $1),
                  page AS (SELECT event_id, tenant_id, seq, pos, type, payload, occurred_at, seq AS k FROM "${schema}".outbox_events
                           WHERE tenant_id = $1 AND seq > $2 AND seq <= coalesce((SELECT head FROM state), 0) ORDER BY seq LIMIT $3)
             SELECT (SELECT head FROM state) AS head, (SELECT pruned FROM state) AS pruned,
                    (SELECT max(k) FROM page) AS scanned, (SELECT count(*) FROM page) AS n,
                    (SELECT json_agg(p ORDER BY k) FROM page p WHERE $4::text[] IS NULL OR p.type = ANY($4)) AS rows`
          : `WITH state AS (SELECT last_pos AS head, pruned_through_pos AS pruned FROM "${schema}".stream_state),
                  page AS (SELECT event_id, tenant_id, seq, pos, type, payload, occurred_at, pos AS k FROM "${schema}".outbox_events
                           WHERE ($1::text IS NULL) AND pos > $2 AND pos <= (SELECT head FROM state) ORDER BY pos LIMIT $3)
             SELECT (SELECT head FROM state) AS head, (SELECT pruned FROM state) AS pruned,
                    (SELECT max(k) FROM page) AS scanned, (SELECT count(*) FROM page) AS n,
                    (SELECT json_agg(p ORDER BY k) FROM page p WHERE $4::text[] IS NULL OR p.type = ANY($4)) AS rows`,
        [tenantId ?? null, after, size, typeList],
      );
      const head = Number(rows[0]?.head ?? 0);
      const pruned = Number(rows[0]?.pruned ?? 0);
      if (after < pruned) throw new CursorExpiredError(stream, after, pruned);
      if (after > head || after < 0) throw new CursorInvalidError(stream, after, head);
      const page = rows[0]?.rows ?? [];
      const scanned = rows[0]?.scanned === null || rows[0]?.scanned === undefined ? null : Number(rows[0].scanned);
      // A full page covers up to its last row; a short one reached the head.
      const full = Number(rows[0]?.n ?? 0) >= size;
      const through = scanned === null ? head : full ? scanned : head;
      return {
        events: page.map((row) => toDomainEvent(stream, { ...row, occurred_at: new Date(row.occurred_at as unknown as string) })),
        through,
        head,
      };
    },
  };
}
