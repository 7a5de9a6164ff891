import { Topic, type Checkpoint, type DomainEvent } from '@stockline/events';

/**
 * A follower of the inventory event stream that keeps one search structure current. Plugs into
 * `runConsumer`: `handle` is idempotent (it re-reads the items' current state, whatever the event
 * said), so a batch applied twice after a crash changes nothing.
 */
export interface SearchIndexer {
  /** The consumer's (and its checkpoint's) name. */
  readonly name: string;
  readonly types: Topic[];
  readonly checkpoint: Checkpoint;
  handle(batch: DomainEvent[]): Promise<void>;
}

/** The items a batch touched, each with the position of its newest event there. */
export function itemsTouched(batch: DomainEvent[], types: readonly Topic[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const event of batch) {
    const itemId = (event.payload as { itemId?: unknown }).itemId;
    if (!types.includes(event.type) || typeof itemId !== 'string') continue;
    out.set(itemId, Math.max(out.get(itemId) ?? 0, event.pos));
  }
  return out;
}
