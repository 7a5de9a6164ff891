/**
 * The urql client: Graphcache (normalized by `id`, explicit updaters for what events add to lists),
 * automatic persisted queries over POST, and graphql-ws subscriptions that reconnect with backoff and
 * resume each subscription from the last cursor it delivered.
 */
import { Client, fetchExchange, subscriptionExchange, type Exchange } from '@urql/core';
import { cacheExchange, type Cache, type Data } from '@urql/exchange-graphcache';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { MOVEMENT_ROW, RECENT_MOVEMENTS, RECENT_ORDERS, type OrderStatusChangedData, type StockChangedData } from './documents.ts';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** Reconnect delays: 0.5 s, 1 s, 2 s, 4 s … capped at 8 s, with up to 30 % jitter so a fleet of tabs does not reconnect in step. */
export function backoffMs(retries: number, random = Math.random): number {
  const base = Math.min(500 * 2 ** retries, 8_000);
  return Math.round(base * (1 + 0.3 * random()));
}

/** SHA-256 hex with Web Crypto; '' (send the document itself) where it is unavailable (plain http on a LAN address). */
async function sha256Hex(text: string): Promise<string> {
  if (!globalThis.crypto?.subtle) return '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Puts `key` first in a cached connection's `nodes` (once), keeping at most `limit`. */
function prepend(cache: Cache, connection: unknown, key: string | null, limit: number): void {
  if (typeof connection !== 'string' || !key) return;
  const nodes = (cache.resolve(connection, 'nodes') as string[] | null) ?? [];
  if (nodes.includes(key)) return;
  cache.link(connection, 'nodes', [key, ...nodes].slice(0, limit));
}

const embedded = () => null;

export function createCacheExchange(): Exchange {
  return cacheExchange({
    keys: {
      StockQuantities: embedded, ItemConnection: embedded, StockMovementConnection: embedded, OrderConnection: embedded,
      ItemSearchResult: embedded, ItemSearchHit: embedded, PageInfo: embedded, UserError: embedded, StockPayload: embedded,
      StockChangedEvent: embedded, OrderStatusEvent: embedded, LowStockEvent: embedded, ItemAnalytics: embedded, InventoryPoint: embedded,
      Viewer: (v) => (v.id as string) ?? null,
    },
    updates: {
      Subscription: {
        // Levels and totals update in place through normalization (StockLevel.id, Item.id). The event itself is a
        // ledger line: it is written as a movement and put first in the lists that show recent movements.
        stockChanged(result: Data, _args, cache) {
          const e = (result as unknown as StockChangedData).stockChanged;
          const movement = {
            __typename: 'StockMovement', id: `event:${e.cursor}`, reason: e.reason, onHandDelta: e.onHandDelta, reservedDelta: e.reservedDelta,
            onHandAfter: e.onHand, occurredAt: e.occurredAt,
            item: { __typename: 'Item', id: e.item.id, sku: e.item.sku, name: e.item.name },
            location: { __typename: 'Location', id: e.location.id, code: e.location.code },
          };
          cache.writeFragment(MOVEMENT_ROW, movement);
          const key = cache.keyOfEntity(movement);
          prepend(cache, cache.resolve('Query', 'stockMovements', { first: RECENT_MOVEMENTS }), key, RECENT_MOVEMENTS);
          prepend(cache, cache.resolve({ __typename: 'Item', id: e.item.id }, 'movements', { first: 30 }), key, 30);
        },
        // A status change of a known order updates it in place; an order this page has not seen yet goes first.
        orderStatusChanged(result: Data, _args, cache) {
          const { order } = (result as unknown as OrderStatusChangedData).orderStatusChanged;
          prepend(cache, cache.resolve('Query', 'orders', { first: RECENT_ORDERS }), cache.keyOfEntity({ __typename: 'Order', id: order.id }), RECENT_ORDERS);
        },
      },
    },
  });
}

export interface AppClient {
  client: Client;
  ws: WsClient;
  /** Current socket state and a way to be told of changes. */
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  dispose(): void;
}

export function createAppClient({ token, origin = location.origin }: { token: string; origin?: string }): AppClient {
  let state: ConnectionState = 'connecting';
  const listeners = new Set<(s: ConnectionState) => void>();
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of listeners) l(state);
  };
  const ws = createWsClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
    // Every close but a refused credential is worth another try (a sleeping laptop, a restarted gateway, 1001).
    shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && (event as CloseEvent).code === 4403),
    on: {
      connected: () => setState('online'),
      closed: () => setState('offline'),
    },
  });
  const client = new Client({
    url: `${origin}/graphql`,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      createCacheExchange(),
      persistedExchange({ preferGetForPersistedQueries: false, enableForMutation: true, generateHash: sha256Hex }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          // graphql-ws serialises this payload again on every (re)subscribe: keeping `after` at the last cursor
          // delivered makes a reconnect replay exactly what was missed, then go live.
          const payload = { ...request, query: request.query ?? '', variables: { ...(request.variables as Record<string, unknown>) } };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe<Record<string, { cursor?: string }>>(payload, {
                next(result) {
                  const event = result.data && Object.values(result.data)[0];
                  if (event?.cursor) payload.variables.after = event.cursor;
                  sink.next(result as Parameters<typeof sink.next>[0]);
                },
                error: (err) => sink.error(err),
                complete: () => sink.complete(),
              });
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  const onBrowserOffline = () => setState('offline');
  addEventListener('offline', onBrowserOffline);
  return {
    client,
    ws,
    state: () => state,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      removeEventListener('offline', onBrowserOffline);
      void ws.dispose();
    },
  };
}
