import type { DomainEvent } from '@stockline/events';

/** What the gateway needs of the event log, per (stream, tenant). */
export interface StreamReader {
  /** The newest `seq` of the tenant's stream now. */
  head(stream: string, tenantId: string): Promise<number>;
  /** Every event after `after`, in order, then live ones, with no gap; ends when `signal` aborts. */
  subscribe(options: { stream: string; tenantId: string; after: number; signal: AbortSignal }): AsyncIterable<DomainEvent>;
}

export interface EventFeedOptions {
  stream: string;
  tenantId: string;
  reader: StreamReader;
  /** Events kept for quick resumes. */
  bufferSize: number;
  onError?: (error: unknown) => void;
  /** Wait before reading again after the log failed. @default 500 */
  retryMs?: number;
}

export type FeedListener = (event: DomainEvent) => void;

/**
 * This gateway instance's one reading of a (stream, tenant): every socket of the tenant listens to it
 * instead of reading the log itself. It starts at the stream's head and keeps the newest events, so it
 * can tell whether it holds everything after a given `seq` (`covers`) and a client resuming from a recent
 * cursor is served from memory. When the log fails it reads again from its position, so no gap.
 */
export class EventFeed {
  private readonly buffer: DomainEvent[] = [];
  private readonly listeners = new Set<FeedListener>();
  private readonly abort = new AbortController();
  private position: number | null = null;
  private resolveReady!: () => void;
  /** Resolves once the feed knows its starting position. */
  readonly ready = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(private readonly options: EventFeedOptions) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
    this.listeners.clear();
    this.resolveReady();
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** The last `seq` this feed has passed on (null until ready). */
  get lastSeq(): number | null {
    return this.position;
  }

  listen(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True when every event after `seq` is in the buffer or yet to come through the feed. */
  covers(seq: number): boolean {
    return this.position !== null && seq >= this.position - this.buffer.length && seq <= this.position;
  }

  /** Buffered events after `seq`, oldest first (meaningful when `covers(seq)`). */
  bufferedAfter(seq: number): DomainEvent[] {
    return this.buffer.slice(Math.max(0, this.buffer.length - (this.position! - seq)));
  }

  private async run() {
    const { stream, tenantId, reader, retryMs = 500 } = this.options;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        if (this.position === null) {
          this.position = await reader.head(stream, tenantId);
          this.resolveReady();
        }
        for await (const event of reader.subscribe({ stream, tenantId, after: this.position, signal })) {
          if (signal.aborted) return;
          this.receive(event);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
      }
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  }

  private receive(event: DomainEvent) {
    if (event.seq <= this.position!) return;
    // The log is gap-free; should it ever jump, the buffer restarts so `covers` stays truthful.
    if (event.seq !== this.position! + 1) this.buffer.length = 0;
    this.position = event.seq;
    this.buffer.push(event);
    if (this.buffer.length > this.options.bufferSize) this.buffer.splice(0, this.buffer.length - this.options.bufferSize);
    for (const listener of this.listeners) listener(event);
  }
}
