import { appendOutboxEvents, type NewEvent } from '@stockline/events';
import { SCHEMA } from './prisma.ts';
import type { Sql } from './sql.ts';

export type { NewEvent };

/** The transactional outbox: events written with the change they describe. */
export class OutboxRepository {
  constructor(private readonly db: Sql) {}

  append({ tenantId, events }: { tenantId: string; events: NewEvent[] }, tx: Sql = this.db): Promise<void> {
    return appendOutboxEvents(tx, { schema: SCHEMA, tenantId, events });
  }
}
