import type { Topic } from '@stockline/events';
import type { Db, Tx } from './prisma.ts';

export interface NewEvent {
  type: Topic;
  payload: Record<string, unknown>;
}

/** The transactional outbox: events written with the change they describe. */
export class OutboxRepository {
  constructor(private readonly db: Db | Tx) {}

  async append({ tenantId, events }: { tenantId: string; events: NewEvent[] }): Promise<void> {
    if (events.length === 0) return;
    await this.db.$executeRaw`
      INSERT INTO orders.outbox_events (tenant_id, type, payload)
      SELECT ${tenantId}, u.type, u.payload
      FROM unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::jsonb[]) WITH ORDINALITY AS u(type, payload, ord)
      ORDER BY u.ord`;
  }
}
