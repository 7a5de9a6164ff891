import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { decodeCursor } from '@stockline/events';

const STOCK_CHANGED = `subscription($itemIds: [ID!], $after: String) {
  stockChanged(itemIds: $itemIds, after: $after) { cursor item { id } onHand onHandDelta reservedDelta reason }
}`;

export interface StockChangedEvent { cursor: string; item: { id: string }; onHand: number; onHandDelta: number; reservedDelta: number; reason: string }

export interface ResumingSubscriber {
  /** Every event received, in order (duplicates included: the test looks for them). */
  events: StockChangedEvent[];
  /** The seq of each event received (from its cursor). */
  seqs(): number[];
  /** How many times the subscription ended (error, close) and was taken up again from the last cursor. */
  resumes: number;
  /** Why it ended each time. */
  endings: string[];
  /** Resolves once `check` holds for the events received; rejects after `timeoutMs`. */
  waitUntil(check: (events: StockChangedEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A `stockChanged` subscriber at the gateway as a client is told to write one: when the subscription
 * ends (the socket closed, or an error such as "resubscribe with the last cursor"), it subscribes
 * again on a new connection with `after` = the last cursor it received. At most `maxResumes` times.
 */
export function resumingSubscriber(wsUrl: string, token: string, { itemIds, after = null, maxResumes = 200 }: { itemIds: string[]; after?: string | null; maxResumes?: number }): ResumingSubscriber {
  let client: Client | null = null;
  let stopped = false;
  let cursor = after;
  const state: ResumingSubscriber = {
    events: [],
    resumes: 0,
    endings: [],
    seqs: () => state.events.map((e) => decodeCursor('inventory', e.cursor)!),
    async waitUntil(check, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(state.events)) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (${state.events.length} events, ${state.resumes} resumes, endings ${JSON.stringify(state.endings.slice(-3))})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      stopped = true;
      await client?.dispose();
    },
  };
  const subscribe = () => {
    if (stopped) return;
    const current = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    client = current;
    let ended = false;
    const again = (why: string) => {
      if (ended) return;
      ended = true;
      state.endings.push(why);
      void current.dispose();
      if (stopped || state.resumes >= maxResumes) return;
      state.resumes++;
      setTimeout(subscribe, 300);
    };
    current.subscribe<{ stockChanged: StockChangedEvent }>({ query: STOCK_CHANGED, variables: { itemIds, after: cursor } }, {
      next: (result) => {
        const event = result.data?.stockChanged;
        if (event) {
          state.events.push(event);
          cursor = event.cursor;
        } else if (result.errors?.length) again(`errors: ${JSON.stringify(result.errors.map((e) => e.message))}`);
      },
      error: (error) => again(`error: ${(error as { message?: string; code?: number })?.message ?? (error as { code?: number })?.code ?? String(error)}`),
      complete: () => again('complete'),
    });
  };
  subscribe();
  return state;
}
