import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { REQUEST_ID_HEADER } from '@stockline/observability';
import type { GatewayContext } from '../context.ts';

/**
 * A subgraph data source that forwards the caller's bearer token (each subgraph verifies it again)
 * and the request id. Node's fetch (undici) keeps connections alive and pools them per origin.
 */
export function createDataSource({ url, timeoutMs }: { url: string; timeoutMs: number }) {
  const fetcher: Fetcher = ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher,
    willSendRequest({ request, context }) {
      if (context.token) request.http?.headers.set('authorization', `Bearer ${context.token}`);
      if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    },
  });
}
