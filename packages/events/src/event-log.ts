import { channelFor } from './channel.ts';
import type { PubSub } from './create-pub-sub.ts';
import type { DomainEvent } from './domain-event.ts';
import type { EventSource } from './event-source.ts';

type Listener = (event: DomainEvent) => void;

export interface EventLogOptions {
  /** Live delivery: Redis pub/sub, or the in-process bus on embedded defaults. */
  bus: PubSub;
  /** Prefix of the pub/sub channels (EVENTS_CHANNEL_PREFIX). */
  channelPrefix: string;
  /** Each stream's replay, served by the service that owns it (HTTP, or in-process when embedded). */
  sources: Record<string, EventSource>;
}

/**
 * The platform's event log as one consumer process sees it: the durable replay of each stream
 * (its owner's outbox, through `sources`) and the live notifications (`bus`). One bus subscription
 * per stream per process, fanned out to every listener here, by tenant. `subscribeEvents` and
 * `runConsumer` build gap-free, resumable iteration on top of it.
 */
export class EventLog {
  private readonly streams = new Map<string, { all: Set<Listener>; byTenant: Map<string, Set<Listener>>; subscription: Promise<number> }>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly offReconnect: (() => void) | undefined;

  constructor(private readonly options: EventLogOptions) {
    this.offReconnect = options.bus.onReconnect?.(() => this.reconnectListeners.forEach((l) => l()));
  }

  /** The replay source of `stream`; throws for a stream nobody serves. */
  source(stream: string): EventSource {
    const source = this.options.sources[stream];
    if (!source) throw new Error(`No event source for stream "${stream}" (known: ${Object.keys(this.options.sources).join(', ') || 'none'})`);
    return source;
  }

  /** Calls `listener` with each live event of `stream` (of one tenant, when given). Returns the unsubscribe. */
  listen(stream: string, tenantId: string | undefined, listener: Listener): () => void {
    this.source(stream);
    let entry = this.streams.get(stream);
    if (!entry) {
      const fresh = { all: new Set<Listener>(), byTenant: new Map<string, Set<Listener>>(), subscription: Promise.resolve(0) };
      fresh.subscription = this.options.bus.subscribe(channelFor(this.options.channelPrefix, stream), (event: DomainEvent) => {
        fresh.all.forEach((l) => l(event));
        fresh.byTenant.get(event.tenantId)?.forEach((l) => l(event));
      }, {});
      this.streams.set(stream, fresh);
      entry = fresh;
    }
    const set = tenantId === undefined ? entry.all : (entry.byTenant.get(tenantId) ?? entry.byTenant.set(tenantId, new Set()).get(tenantId)!);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (tenantId !== undefined && set.size === 0) entry.byTenant.delete(tenantId);
    };
  }

  /** Calls `listener` whenever the live bus reconnected (live events may have been lost meanwhile). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.offReconnect?.();
    for (const entry of this.streams.values()) this.options.bus.unsubscribe(await entry.subscription);
    this.streams.clear();
  }
}
