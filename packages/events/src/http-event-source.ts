import { CursorExpiredError, CursorInvalidError, type EventPage, type EventQuery, type EventSource } from './event-source.ts';
import { EVENT_LOG_PATH } from './use-event-log-api.ts';

export interface HttpEventSourceOptions {
  /** The owning service's base URL, e.g. http://inventory:4001. */
  baseUrl: string;
  /** A `service` bearer token (see `serviceToken`). */
  token: () => Promise<string>;
  /** @default 10000 */
  timeoutMs?: number;
}

/** Reads a stream's replay from its owning service's internal API (`useEventLogApi`). */
export function createHttpEventSource({ baseUrl, token, timeoutMs = 10_000 }: HttpEventSourceOptions): EventSource {
  return {
    async read({ stream, tenantId, after, limit, types, headOnly }: EventQuery): Promise<EventPage> {
      const url = new URL(`${EVENT_LOG_PATH}/${encodeURIComponent(stream)}`, baseUrl);
      url.searchParams.set('after', String(after));
      if (tenantId !== undefined) url.searchParams.set('tenant', tenantId);
      if (limit !== undefined) url.searchParams.set('limit', String(limit));
      if (types?.length) url.searchParams.set('types', types.join(','));
      if (headOnly) url.searchParams.set('head', '1');
      const response = await fetch(url, { headers: { authorization: `Bearer ${await token()}` }, signal: AbortSignal.timeout(timeoutMs) });
      const body = (await response.json().catch(() => ({}))) as EventPage & { code?: string; message?: string; oldest?: number; head?: number };
      if (response.status === 410) throw new CursorExpiredError(stream, after, Number(body.oldest));
      if (response.status === 400 && body.head !== undefined) throw new CursorInvalidError(stream, after, Number(body.head));
      if (!response.ok) throw new Error(`Reading stream "${stream}" from ${baseUrl} failed: ${response.status} ${body.code ?? ''} ${body.message ?? ''}`);
      return body;
    },
  };
}
