import type { DomainEvent, Topic } from './domain-event.ts';
import type { EventLog } from './event-log.ts';
import { CursorExpiredError, CursorInvalidError, DEFAULT_PAGE_SIZE } from './event-source.ts';

export interface SubscribeEventsOptions {
  stream: string;
  /** One tenant's events, resumed by `seq`; omitted: every tenant's (indexers), resumed by `pos`. */
  tenantId?: string;
  /** The last position the consumer has; `undefined` or `'now'`: live events only, from now. */
  after?: number | 'now';
  /** Only events of these types are yielded (positions still advance past the others). */
  types?: Topic[];
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** Replay page size. @default 500 */
  pageSize?: number;
  /** Events held for a consumer that does not keep up; past it, live events are dropped and re-read from the log. @default 1000 */
  maxBuffered?: number;
  /** How often an idle subscription checks the log for events whose live notification was lost. @default 5000 */
  pollIntervalMs?: number;
  /** Told of transient read failures (which are retried with backoff). */
  onError?: (error: unknown) => void;
}

/** What `subscribeEvents` returns: an async iterator of events, plus where it stands. */
export interface EventSubscription extends AsyncIterableIterator<DomainEvent> {
  /** The position everything before it has been delivered or skipped (filtered); `null` until known. */
  position(): number | null;
  /** The newest position known to exist (from the log or a live event). */
  head(): number;
  /** How many events are waiting to be taken. */
  buffered(): number;
  /** Takes up to `max` events already waiting, without blocking (for batching). */
  takeBuffered(max: number): DomainEvent[];
  /** Resolves once replay has caught up with the head at least once. */
  readonly caughtUp: Promise<void>;
}

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Every event of a stream after `after`, in order, then live ones: no gap and no duplicate across
 * the switch, nor after the live bus drops messages. Live events are a fast path and a signal;
 * the owner's durable log is the truth: whenever a live event does not directly follow the last
 * position, or the bus reconnected, or the subscription has been idle `pollIntervalMs`, it reads
 * the log from the last position. A consumer that does not keep up holds at most `maxBuffered`
 * events; the rest wait in the log. Throws `CursorExpiredError` for a cursor older than retention
 * and `CursorInvalidError` for one the stream never produced.
 */
export function subscribeEvents(log: EventLog, options: SubscribeEventsOptions): EventSubscription {
  const { stream, tenantId, types, signal, pageSize = DEFAULT_PAGE_SIZE, maxBuffered = 1000, pollIntervalMs = 5000, onError } = options;
  const source = log.source(stream);
  const perTenant = tenantId !== undefined;
  const positionOf = (e: DomainEvent) => (perTenant ? e.seq : e.pos);
  const wanted = types?.length ? new Set<string>(types) : null;

  let last: number | null = typeof options.after === 'number' ? options.after : null;
  let head = last ?? 0;
  let maxSeen = 0;
  const ready: DomainEvent[] = [];
  let failure: unknown = null;
  let ended = false;
  let reading: Promise<void> | null = null;
  let again = false;
  /** The buffer filled before the log was read to its head: read on once the consumer makes room. */
  let backlog = false;
  let wake: (() => void) | null = null;
  let resolveCaughtUp!: () => void;
  const caughtUp = new Promise<void>((r) => (resolveCaughtUp = r));
  caughtUp.catch(() => {});

  const notify = () => {
    wake?.();
    wake = null;
  };
  const deliver = (event: DomainEvent) => {
    last = positionOf(event);
    if (!wanted || wanted.has(event.type)) ready.push(event);
  };

  const unlisten = log.listen(stream, tenantId, (event) => {
    if (ended) return;
    const pos = positionOf(event);
    head = Math.max(head, pos);
    // The fast path: the very next event, nobody reading the log, room in the buffer.
    if (last !== null && pos === last + 1 && !reading && ready.length < maxBuffered) {
      deliver(event);
      notify();
      return;
    }
    if (last !== null && pos <= last) return;
    maxSeen = Math.max(maxSeen, pos);
    catchUp();
  });
  const offReconnect = log.onReconnect(() => catchUp());

  /** Reads the log from `last` until it reaches the head (or the buffer is full); one reader at a time. */
  function catchUp() {
    if (ended) return;
    if (reading) {
      again = true;
      return;
    }
    backlog = false;
    reading = (async () => {
      let attempt = 0;
      do {
        again = false;
        try {
          if (last === null) {
            const page = await source.read({ stream, tenantId, after: 0, headOnly: true });
            last = Math.max(page.head, 0);
            head = Math.max(head, page.head);
          }
          for (;;) {
            if (ended) break;
            if (ready.length >= maxBuffered) {
              backlog = true;
              break;
            }
            const page = await source.read({ stream, tenantId, after: last!, limit: pageSize, types });
            head = Math.max(head, page.head);
            for (const event of page.events) if (positionOf(event) > last!) deliver(event);
            last = Math.max(last!, page.through);
            notify();
            if (page.through >= page.head) {
              resolveCaughtUp();
              break;
            }
          }
          attempt = 0;
          if (maxSeen > last! && ready.length < maxBuffered) again = true;
        } catch (error) {
          if (error instanceof CursorExpiredError || error instanceof CursorInvalidError) {
            fail(error);
            return;
          }
          onError?.(error);
          await sleep(BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]);
          again = true;
        }
      } while (again && !ended);
    })().finally(() => {
      reading = null;
      lastRead = Date.now();
    });
  }

  let lastRead = 0;
  const poller = setInterval(() => {
    if (!reading && Date.now() - lastRead >= pollIntervalMs) catchUp();
  }, Math.max(50, Math.min(pollIntervalMs, 1000)));
  poller.unref();

  function fail(error: unknown) {
    failure = error;
    stop();
  }
  function stop() {
    if (ended) return;
    ended = true;
    clearInterval(poller);
    unlisten();
    offReconnect();
    notify();
  }
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  catchUp();

  const subscription: EventSubscription = {
    caughtUp,
    position: () => last,
    head: () => Math.max(head, last ?? 0),
    buffered: () => ready.length,
    takeBuffered(max) {
      const taken = ready.splice(0, max);
      if (taken.length && ready.length < maxBuffered / 2 && (backlog || maxSeen > (last ?? 0))) catchUp();
      return taken;
    },
    async next(): Promise<IteratorResult<DomainEvent>> {
      for (;;) {
        if (ready.length > 0) {
          const event = ready.shift()!;
          // Room again: fetch what was left in the log while the buffer was full.
          if (ready.length < maxBuffered / 2 && (backlog || maxSeen > (last ?? 0)) && !reading) catchUp();
          return { value: event, done: false };
        }
        if (failure) {
          const error = failure;
          failure = null;
          throw error;
        }
        if (ended) return { value: undefined, done: true };
        if ((backlog || maxSeen > (last ?? 0)) && !reading) catchUp();
        await new Promise<void>((r) => (wake = r));
      }
    },
    async return(): Promise<IteratorResult<DomainEvent>> {
      stop();
      ready.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return subscription;
    },
  };
  return subscription;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
