import { randomUUID } from 'node:crypto';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Viewer } from '@stockline/auth';
import type { ExecuteAsViewer } from './hydration-group.ts';

/**
 * Runs an operation through Apollo's own pipeline in this process (parse and validation caches, the
 * gateway's query planner and its cache, the plugins and limits every HTTP request gets), with the
 * context an HTTP request of `viewer` would have. Errors come back as GraphQLError, as graphql-ws sends them.
 */
export function executeThroughGateway<C extends BaseContext>(apollo: ApolloServer<C>, contextFor: (viewer: Viewer, requestId: string) => C | Promise<C>): ExecuteAsViewer {
  return async ({ query, variables, operationName }, viewer) => {
    const response = await apollo.executeOperation({ query, variables, operationName }, { contextValue: await contextFor(viewer, randomUUID()) });
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not served over graphql-ws');
    const { data, errors } = response.body.singleResult;
    return {
      data: data as Record<string, unknown> | null | undefined,
      ...(errors ? { errors: errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) } : {}),
    };
  };
}
