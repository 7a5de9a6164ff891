import type { DomainEvent, Topic } from './domain-event.ts';

/** What a consumer asks the owner of a stream for: the events after a position, oldest first. */
export interface EventQuery {
  stream: string;
  /** One tenant's events, positioned by `seq`; omitted: every tenant's, positioned by `pos`. */
  tenantId?: string;
  /** The last position the consumer has (0 = from the beginning). */
  after: number;
  /** Page size. @default 500 */
  limit?: number;
  /** Only these types are returned; positions still advance past the others (see `through`). */
  types?: Topic[];
  /** Return no events, only the current head (to start a subscription from now). */
  headOnly?: boolean;
}

/** One page of a stream. */
export interface EventPage {
  events: DomainEvent[];
  /**
   * The position this page covers up to: every event at or below it that matches the query is in
   * `events` or earlier pages. Resume the next page after it.
   */
  through: number;
  /** The stream's (or tenant's) newest position when the page was read. */
  head: number;
}

/** The replay half of the event log: implemented by the owning service, over HTTP or in-process. */
export interface EventSource {
  read(query: EventQuery): Promise<EventPage>;
}

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 5_000;

/** A cursor older than the log's retention: what it missed is gone, the consumer must rebuild. */
export class CursorExpiredError extends Error {
  readonly code = 'CURSOR_EXPIRED';
  constructor(readonly stream: string, readonly after: number, readonly oldest: number) {
    super(`Cursor ${after} of stream "${stream}" is older than the log's retention; the oldest resumable position is ${oldest}`);
    this.name = 'CursorExpiredError';
  }
}

/** A cursor the stream never produced (ahead of its head, or negative). */
export class CursorInvalidError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly stream: string, readonly after: number, readonly head: number) {
    super(`Cursor ${after} of stream "${stream}" is ahead of its newest position ${head}`);
    this.name = 'CursorInvalidError';
  }
}
