import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';

/**
 * Apollo plugin: one log line per operation with its request id, name, duration and error codes,
 * on the request-scoped logger (`context.log`) when there is one.
 */
export function useRequestLogging<C extends { requestId?: string; log?: Logger }>(logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, contextValue: ctx }) {
          const log = ctx.log ?? logger.child({ requestId: ctx.requestId ?? contextValue.requestId });
          const codes = errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
          log.info({ operationName: operationName ?? null, durationMs: Math.round(performance.now() - started), ...(codes?.length ? { errors: codes } : {}) }, 'graphql operation');
        },
      };
    },
  };
}
