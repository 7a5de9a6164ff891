import type { DomainEvent, Topic } from './domain-event.ts';
import type { EventLog } from './event-log.ts';
import { subscribeEvents, type EventSubscription } from './subscribe-events.ts';

/** Where a durable consumer keeps the position it has applied (best: beside its data, in the same transaction). */
export interface Checkpoint {
  /** The last applied position (0 before the first event). */
  load(): Promise<number>;
  /** Called after `handle` returned, with the batch's last position; a no-op when `handle` stores it itself. */
  save(position: number): Promise<void>;
}

export interface RunConsumerOptions {
  log: EventLog;
  stream: string;
  /** Names the consumer in logs and metrics. */
  name: string;
  checkpoint: Checkpoint;
  /** Applies a batch, in stream order; must be idempotent by event id (a batch may come again after a crash). */
  handle: (batch: DomainEvent[]) => Promise<void>;
  types?: Topic[];
  /** @default 500 */
  batchSize?: number;
  onError?: (error: unknown) => void;
  /** Told when the consumer stopped for good (a cursor older than retention: rebuild). */
  onFatal?: (error: unknown) => void;
}

export interface ConsumerHandle {
  /** Resolves once the consumer has caught up with the log's head as it was at start (or later). */
  readonly caughtUp: Promise<void>;
  /** Last applied position, newest known head, and how far behind that is. */
  stats(): { position: number; head: number; lag: number; lastAppliedAt: string | null; lastEventAt: string | null; stopped: boolean };
  /** Stops after the batch in progress. */
  stop(): Promise<void>;
}

const RETRY_MS = [200, 500, 1000, 2000, 5000];

/**
 * A durable consumer of a whole stream (every tenant): resumes after its checkpoint, applies
 * batches in order, saves the checkpoint after each, retries a failing batch with backoff (the
 * same batch, so order holds), and survives its own restart and the bus's.
 */
export function runConsumer({ log, stream, name, checkpoint, handle, types, batchSize = 500, onError, onFatal }: RunConsumerOptions): ConsumerHandle {
  const abort = new AbortController();
  let position = 0;
  let lastAppliedAt: string | null = null;
  let lastEventAt: string | null = null;
  let subscription: EventSubscription | null = null;
  let stopped = false;
  let applying = false;
  let resolveCaughtUp!: () => void;
  const caughtUp = new Promise<void>((r) => (resolveCaughtUp = r));

  const done = (async () => {
    position = await checkpoint.load();
    subscription = subscribeEvents(log, { stream, after: position, types, signal: abort.signal, pageSize: batchSize, maxBuffered: batchSize * 4, onError });
    subscription.caughtUp.then(async () => {
      // Caught up means applied, not only read.
      while (!stopped && (applying || subscription!.buffered() > 0)) await new Promise((r) => setTimeout(r, 20));
      resolveCaughtUp();
    });
    try {
      for await (const first of subscription) {
        applying = true;
        const batch = [first, ...subscription.takeBuffered(batchSize - 1)];
        for (let attempt = 0; ; attempt++) {
          try {
            await handle(batch);
            break;
          } catch (error) {
            onError?.(error);
            if (abort.signal.aborted) return;
            await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
          }
        }
        const lastEvent = batch[batch.length - 1];
        // With nothing waiting, everything up to the subscription's position is applied or filtered out.
        position = subscription.buffered() === 0 ? Math.max(lastEvent.pos, subscription.position() ?? 0) : lastEvent.pos;
        await checkpoint.save(position);
        lastAppliedAt = new Date().toISOString();
        lastEventAt = lastEvent.occurredAt;
        applying = false;
      }
    } catch (error) {
      stopped = true;
      onFatal?.(error);
    }
  })().catch((error) => {
    stopped = true;
    onFatal?.(error);
  });

  return {
    caughtUp,
    stats() {
      const head = Math.max(subscription?.head() ?? 0, position);
      return { position, head, lag: head - position, lastAppliedAt, lastEventAt, stopped };
    },
    async stop() {
      stopped = true;
      abort.abort();
      await done;
    },
  };
}
