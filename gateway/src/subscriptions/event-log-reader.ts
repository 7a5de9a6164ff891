import { subscribeEvents, type EventLog } from '@stockline/events';
import type { StreamReader } from './event-feed.ts';

/** The platform's event log as the subscription hub reads it. */
export function eventLogReader(log: EventLog, { onError }: { onError?: (error: unknown) => void } = {}): StreamReader {
  return {
    async head(stream, tenantId) {
      const page = await log.source(stream).read({ stream, tenantId, after: 0, limit: 1, headOnly: true });
      return page.head;
    },
    subscribe: ({ stream, tenantId, after, signal }) => subscribeEvents(log, { stream, tenantId, after, signal, onError }),
  };
}
