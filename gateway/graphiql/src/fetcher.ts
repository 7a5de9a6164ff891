import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';

import { sameHostSubscriptionUrl } from './config.ts';

/** Operation name GraphiQL gives its schema introspection (its `introspectionQueryName` default). */
const INTROSPECTION_OPERATION = 'IntrospectionQuery';

/**
 * The page's fetcher: HTTP to `/graphql` and subscriptions over a WebSocket
 * to the same host.
 *
 * GraphiQL runs its first schema introspection before the headers editor
 * exists, so that request carries no headers at all and, against a gateway
 * that wants a token, docs and autocompletion would stay empty. An
 * introspection sent without headers therefore gets `defaultHeaders`.
 * Operations the user runs are sent with exactly what the headers editor holds.
 */
export function createPageFetcher(defaultHeaders: Record<string, string> | undefined): Fetcher {
  const fetcher = createGraphiQLFetcher({
    url: '/graphql',
    subscriptionUrl: sameHostSubscriptionUrl(window.location),
  });
  if (!defaultHeaders || Object.keys(defaultHeaders).length === 0) return fetcher;
  return (params, opts) =>
    params.operationName === INTROSPECTION_OPERATION && !opts?.headers
      ? fetcher(params, { ...opts, headers: defaultHeaders })
      : fetcher(params, opts);
}
