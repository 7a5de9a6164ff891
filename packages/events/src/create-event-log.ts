import type { PubSub } from './create-pub-sub.ts';
import { EventLog } from './event-log.ts';
import type { EventSource } from './event-source.ts';
import { createHttpEventSource } from './http-event-source.ts';
import { serviceToken } from './service-token.ts';

export interface CreateEventLogOptions {
  bus: PubSub;
  channelPrefix: string;
  /** Per stream: the owning service's base URL (replay over its internal API), or its in-process source (embedded). */
  sources: Record<string, string | EventSource>;
  /** Signs the service token the internal API asks for. */
  jwtSecret: string;
  /** Who reads (the token's subject, in the owner's logs). */
  consumer: string;
}

/** The event log for one consumer process: live from the bus, replay from each stream's owner. */
export function createEventLog({ bus, channelPrefix, sources, jwtSecret, consumer }: CreateEventLogOptions): EventLog {
  const token = serviceToken({ jwtSecret, sub: consumer });
  const resolved = Object.fromEntries(
    Object.entries(sources).map(([stream, source]) => [stream, typeof source === 'string' ? createHttpEventSource({ baseUrl: source, token }) : source]),
  );
  return new EventLog({ bus, channelPrefix, sources: resolved });
}
