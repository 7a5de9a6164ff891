import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';

/**
 * A document with several operations needs `operationName`; one naming no operation of the document
 * is refused too. Both are the client's error (BAD_REQUEST, HTTP 400) with a message saying what to
 * send, instead of reaching the planner (which failed with INTERNAL_SERVER_ERROR and a stack).
 */
export function useSingleOperation<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
          const message = request.operationName
            ? `No operation named "${request.operationName}" in the document; it has ${names.map((n) => `"${n}"`).join(', ')}.`
            : `The document has ${names.length} operations (${names.join(', ')}); send "operationName" naming the one to run.`;
          throw new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', operations: names, http: { status: 400 } } });
        },
      };
    },
  };
}
