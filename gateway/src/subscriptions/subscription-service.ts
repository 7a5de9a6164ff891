import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Viewer } from '@stockline/auth';
import { CursorExpiredError, CursorInvalidError } from '@stockline/events';
import type { EventHub } from './event-hub.ts';
import { HydrationGroup, type ExecuteAsViewer } from './hydration-group.ts';
import type { PreparedSubscription } from './prepare-subscription.ts';
import { PushQueue } from './push-queue.ts';
import { pumpEvents } from './pump-events.ts';

/** Results a subscriber may have waiting to be sent before it counts as a slow consumer. @default 1000 */
export const DEFAULT_MAX_QUEUED_RESULTS = 1_000;

export interface SubscriptionServiceOptions {
  hub: EventHub;
  executeAsViewer: ExecuteAsViewer;
  maxQueuedResults?: number;
}

/** Ends one subscriber's iteration; the error goes to the client as graphql-ws `error` with its code. */
export class SlowConsumerError extends GraphQLError {
  constructor(queued: number) {
    super(`The subscription fell behind its events (${queued} waiting); resubscribe with the last cursor you received`, { extensions: { code: 'SLOW_CONSUMER' } });
  }
}

/**
 * Opens subscriptions: events of the tenant's stream from the hub (resumed from `after`), filtered by the
 * field's arguments, then completed by the subscriber's hydration group — one hydration per event for
 * every subscriber of the group.
 */
export class SubscriptionService {
  private readonly groups = new Map<string, HydrationGroup>();
  private nextId = 1;

  constructor(private readonly options: SubscriptionServiceOptions) {}

  /** Hydration groups alive now (tests and metrics). */
  get groupCount(): number {
    return this.groups.size;
  }

  /**
   * The results for `prepared` as `viewer`, in event order. `onSlow` is called (and the iteration ends)
   * when results pile up unsent; `onEnd` once when the subscription ends, however it ends. Calling `return()` releases the events and the group at once.
   */
  open(prepared: PreparedSubscription, viewer: Viewer, schema: GraphQLSchema, { onSlow, onEnd }: { onSlow?: () => void; onEnd?: () => void } = {}): AsyncIterableIterator<ExecutionResult> {
    const id = this.nextId++;
    let group = this.groups.get(prepared.key);
    if (!group) {
      group = new HydrationGroup(prepared, { schema, executeAsViewer: this.options.executeAsViewer });
      this.groups.set(prepared.key, group);
    }
    group.join(id, viewer);
    const joined = group;
    const events = this.options.hub.open({ stream: prepared.field.stream, tenantId: viewer.tenantId, after: prepared.after });
    const max = this.options.maxQueuedResults ?? DEFAULT_MAX_QUEUED_RESULTS;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      onEnd?.();
      void events.return?.();
      if (joined.leave(id) === 0 && this.groups.get(prepared.key) === joined) this.groups.delete(prepared.key);
    };
    const results = new PushQueue<ExecutionResult>(release);
    const { field, args } = prepared;
    void (async () => {
      try {
        await pumpEvents({
          events,
          results,
          accepts: (event) => event.type === field.topic && field.accepts(event.payload, args),
          hydrate: (event) => joined.resultFor(event),
          max,
          slow: (waiting) => {
            onSlow?.();
            results.fail(new SlowConsumerError(waiting));
          },
        });
      } catch (error) {
        results.fail(asClientError(error));
      } finally {
        release();
      }
    })();
    return results;
  }
}

/** The log's cursor errors as the codes the contract names; anything else is masked. */
function asClientError(error: unknown): GraphQLError {
  if (error instanceof CursorExpiredError) return new GraphQLError(`The cursor is older than the log's retention; subscribe without "after" and reload what you show`, { extensions: { code: 'CURSOR_EXPIRED' } });
  if (error instanceof CursorInvalidError) return new GraphQLError('The cursor is ahead of the stream: it was not produced by this API', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  if (error instanceof GraphQLError) return error;
  return new GraphQLError('The subscription failed; resubscribe with the last cursor you received', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
