import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { REQUEST_ID_HEADER } from '@stockline/observability';
import type { GatewayContext } from '../context.ts';
import { internalTokenFor } from '../auth/internal-token-for.ts';

/**
 * A subgraph data source that forwards an internal token the gateway signs for the authenticated
 * caller (subgraphs verify one kind of token, with the caller's exact scopes, whatever credential it
 * presented; see docs/access.md) and the request id. Node's fetch (undici) keeps connections alive and pools them per origin.
 */
export function createDataSource({ url, timeoutMs, jwtSecret }: { url: string; timeoutMs: number; jwtSecret: string }) {
  const fetcher: Fetcher = ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher,
    async willSendRequest({ request, context }) {
      if (context.viewer) request.http?.headers.set('authorization', `Bearer ${await internalTokenFor(context.viewer, jwtSecret)}`);
      if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    },
  });
}
