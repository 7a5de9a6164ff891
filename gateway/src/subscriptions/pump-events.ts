import type { ExecutionResult } from 'graphql';
import type { DomainEvent } from '@stockline/events';
import type { PushQueue } from './push-queue.ts';

/** Events waiting for hydration per subscription (a few MB of typical events) before it is ended. */
export const DEFAULT_MAX_PENDING_EVENTS = 10_000;

/**
 * Moves a subscriber's events into its results queue, one hydration at a time, and ends it with
 * `slow(waiting)` when more than `max` results wait for the client to read them, or more than
 * `maxPending` events wait to be hydrated (hydration behind the stream: events wait in the stream's own
 * queue). Either way the memory one subscription holds is bounded; the client resumes from its last cursor.
 */
export async function pumpEvents({ events, results, accepts, hydrate, max, maxPending = DEFAULT_MAX_PENDING_EVENTS, slow }: {
  events: AsyncIterable<DomainEvent> & { size?: number };
  results: PushQueue<ExecutionResult>;
  accepts: (event: DomainEvent) => boolean;
  hydrate: (event: DomainEvent) => Promise<ExecutionResult>;
  max: number;
  /** Events not yet hydrated that may wait. @default 10_000 */
  maxPending?: number;
  /** Called once with the number waiting; the caller fails the results queue. */
  slow: (waiting: number) => void;
}): Promise<void> {
  for await (const event of events) {
    // Filters first: an event nobody asked for costs no hydration.
    if (!accepts(event)) continue;
    results.push(await hydrate(event));
    const pending = events.size ?? 0;
    if (results.size > max || pending > maxPending) return slow(results.size + pending);
  }
  results.end();
}
