import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_REDIS_URL, tokenFor } from '@stockline/testkit';
import { loadGatewayConfig } from '../../src/config.ts';
import { createGatewayServer } from '../../src/server.ts';
import type { TestPlatform } from '../../../test/support/test-platform.ts';

/** The graphql-ws URL of a gateway's HTTP base URL. */
export const wsUrlOf = (httpBase: string) => `${httpBase.replace(/^http/, 'ws')}/graphql`;

/** A graphql-ws client that connects at once and never retries (tests assert what happened). */
export function connect(url: string, token: string | null): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    onNonLazyError: () => {},
  });
}

/** Everything one subscription receives, with a way to wait for a number of results. */
export interface Collected<T = any> {
  results: FormattedExecutionResult<T, unknown>[];
  /** The `data[field]` of every result so far. */
  events(): any[];
  error: unknown;
  completed: boolean;
  /** Resolves when `n` results have arrived (rejects if the subscription ends first). */
  waitFor(n: number, timeoutMs?: number): Promise<any[]>;
  /** Resolves when the subscription ended with an error. */
  failure(timeoutMs?: number): Promise<any>;
  dispose(): void;
}

export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Collected<T> {
  let wake = () => {};
  const state: Collected<T> = {
    results: [],
    error: null,
    completed: false,
    events: () => state.results.map((r) => Object.values((r.data ?? {}) as Record<string, unknown>)[0]),
    async waitFor(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (state.results.length < n) {
        if (state.error || state.completed) throw new Error(`subscription ended after ${state.results.length} of ${n}: ${JSON.stringify(state.error)}`);
        if (Date.now() > deadline) throw new Error(`only ${state.results.length} of ${n} results within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return state.events();
    },
    async failure(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!state.error) {
        if (Date.now() > deadline) throw new Error('no error within the time');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return state.error;
    },
    dispose: () => {},
  };
  state.dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        state.results.push(result);
        wake();
      },
      error: (error) => {
        state.error = error;
        wake();
      },
      complete: () => {
        state.completed = true;
        wake();
      },
    },
  );
  return state;
}

/** Polls `check` until it is true (for server-side state such as "every subscriber has joined"). */
export async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Another gateway instance in front of the same subgraphs and the same Redis (what a load balancer would spread over). */
export async function startExtraGateway(platform: TestPlatform, channelPrefix: string, env: Record<string, string> = {}) {
  const server = await createGatewayServer({
    config: loadGatewayConfig({
      env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: channelPrefix, ...env },
      overrides: { HOST: '127.0.0.1', PORT: '0', INVENTORY_URL: platform.inventoryUrl, ORDERS_URL: platform.ordersUrl, ACCESS_URL: platform.accessUrl },
      exitOnError: false,
    }),
  });
  const port = await server.start();
  return { server, url: wsUrlOf(`http://127.0.0.1:${port}`), httpUrl: `http://127.0.0.1:${port}/graphql` };
}

export { tokenFor };
