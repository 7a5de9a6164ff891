import { appendOutboxEvents, type NewEvent } from '@stockline/events';
import { SCHEMA, type Db, type Tx } from './prisma.ts';

export type { NewEvent };

/** The transactional outbox: events written with the change they describe. */
export class OutboxRepository {
  constructor(private readonly db: Db | Tx) {}

  append({ tenantId, events }: { tenantId: string; events: NewEvent[] }): Promise<void> {
    return appendOutboxEvents(this.db, { schema: SCHEMA, tenantId, events });
  }
}
