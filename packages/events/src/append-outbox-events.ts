import type { Topic } from './domain-event.ts';

/** What appending needs of a Prisma (transaction) client. */
export interface OutboxWriter {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export interface NewEvent {
  type: Topic;
  payload: Record<string, unknown>;
}

/**
 * Writes events into `<schema>.outbox_events` in the caller's transaction, in the given order,
 * for the relay to number and publish once the transaction commits.
 */
export async function appendOutboxEvents(db: OutboxWriter, { schema, tenantId, events }: { schema: string; tenantId: string; events: NewEvent[] }): Promise<void> {
  if (events.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "${schema}".outbox_events (tenant_id, type, payload)
     SELECT $1, u.type, u.payload FROM unnest($2::text[], $3::jsonb[]) WITH ORDINALITY AS u(type, payload, ord) ORDER BY u.ord`,
    tenantId,
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.payload)),
  );
}
