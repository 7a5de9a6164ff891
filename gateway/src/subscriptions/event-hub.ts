import type { DomainEvent } from '@stockline/events';
import { EventFeed, type StreamReader } from './event-feed.ts';
import { PushQueue } from './push-queue.ts';

export interface EventHubOptions {
  reader: StreamReader;
  /** Events each feed keeps for quick resumes. @default 1000 */
  bufferSize?: number;
  onError?: (error: unknown) => void;
}

export interface OpenStreamOptions {
  stream: string;
  tenantId: string;
  /** The last `seq` the client has; undefined: live only. */
  after?: number;
}

/**
 * Fans each (stream, tenant) out to the sockets of this instance: one `EventFeed` per pair while anyone
 * listens (counted), however many subscribers. A subscriber resuming from a cursor the feed still holds is
 * served from its buffer; an older cursor is read from the log on its own until it reaches what the feed
 * holds, then joins the feed — at one synchronous point, so no event is missed or repeated.
 */
export class EventHub {
  private readonly feeds = new Map<string, { feed: EventFeed; refs: number }>();
  private listening = 0;

  constructor(private readonly options: EventHubOptions) {}

  /** Number of (stream, tenant) pairs read by this instance now. */
  get feedCount(): number {
    return this.feeds.size;
  }

  /** Subscribers that have joined a feed (their starting point is fixed); tests wait on it. */
  get listenerCount(): number {
    return this.listening;
  }

  /**
   * The tenant's events of `stream` after `after` (or from now), in order, with no gap and no duplicate.
   * Errors of the log while catching up (CursorExpiredError, CursorInvalidError) end the iterator.
   * Calling `return()` on the iterator releases everything.
   */
  open({ stream, tenantId, after }: OpenStreamOptions): AsyncIterableIterator<DomainEvent> {
    const feed = this.acquire(stream, tenantId);
    const catchUp = new AbortController();
    let last: number | null = after ?? null;
    let live = false;
    let joined = false;
    let unlisten: () => void = () => {};
    const queue = new PushQueue<DomainEvent>(() => {
      catchUp.abort();
      unlisten();
      if (joined) this.listening -= 1;
      this.release(stream, tenantId);
    });
    const deliver = (event: DomainEvent) => {
      if (last !== null && event.seq <= last) return;
      last = event.seq;
      queue.push(event);
    };
    const goLive = () => {
      live = true;
      catchUp.abort();
      for (const event of feed.bufferedAfter(last!)) deliver(event);
    };
    const join = (listener: (event: DomainEvent) => void) => {
      unlisten = feed.listen(listener);
      joined = true;
      this.listening += 1;
    };

    void feed.ready.then(() => {
      if (catchUp.signal.aborted || feed.stopped) return;
      if (last === null) last = feed.lastSeq!;
      if (feed.covers(last)) {
        goLive();
        return join(deliver);
      }
      // Behind what the feed holds: read the log alone, and switch as soon as the feed continues from here.
      join((event) => {
        if (live) deliver(event);
        else if (feed.covers(last!)) goLive();
      });
      void this.catchUp({ stream, tenantId, after: last, signal: catchUp.signal }, (event) => {
        if (live) return false;
        deliver(event);
        if (feed.covers(event.seq)) goLive();
        return !live;
      }).catch((error) => {
        if (!live && !catchUp.signal.aborted) queue.fail(error);
      });
    });
    return queue;
  }

  /** Stops every feed (shutdown). */
  close(): void {
    for (const { feed } of this.feeds.values()) feed.stop();
    this.feeds.clear();
  }

  private async catchUp(options: { stream: string; tenantId: string; after: number; signal: AbortSignal }, onEvent: (event: DomainEvent) => boolean) {
    for await (const event of this.options.reader.subscribe(options)) if (!onEvent(event)) return;
  }

  private acquire(stream: string, tenantId: string): EventFeed {
    const key = `${stream}\u0000${tenantId}`;
    let entry = this.feeds.get(key);
    if (!entry) {
      const feed = new EventFeed({ stream, tenantId, reader: this.options.reader, bufferSize: this.options.bufferSize ?? 1_000, onError: this.options.onError });
      entry = { feed, refs: 0 };
      this.feeds.set(key, entry);
      feed.start();
    }
    entry.refs += 1;
    return entry.feed;
  }

  private release(stream: string, tenantId: string) {
    const key = `${stream}\u0000${tenantId}`;
    const entry = this.feeds.get(key);
    if (!entry) return;
    entry.refs -= 1;
    if (entry.refs === 0) {
      entry.feed.stop();
      this.feeds.delete(key);
    }
  }
}
