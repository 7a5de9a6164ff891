import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type FieldNode, type GraphQLSchema } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { Principal } from '@stockline/auth';
import type { Logger } from '@stockline/observability';
import type { AccessClient } from './access-client.ts';

/** Catalog and location changes: recorded by the gateway, which sees who asked, with which request id and arguments. */
export const AUDITED_MUTATIONS: ReadonlySet<string> = new Set(['upsertItem', 'bulkUpsertItems', 'archiveItem', 'createCategory', 'createLocation']);
/** Longest list kept whole in an entry's details; longer ones keep their first entries and a count. */
const MAX_LIST = 200;

interface AuditedContext extends BaseContext { viewer?: Principal; requestId?: string }

/**
 * Appends an audit entry (through the access service) for every audited mutation field that
 * returned a payload: actor, request id, the field's arguments and the codes of its userErrors.
 * Sent after the response is ready and off its path; a failure is logged, never shown to the client.
 */
export function useAuditTrail<C extends AuditedContext>({ access, logger, audited = AUDITED_MUTATIONS }: { access: AccessClient; logger: Logger; audited?: ReadonlySet<string> }): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, schema, request, response, contextValue }) {
          const viewer = contextValue.viewer;
          if (operation?.operation !== 'mutation' || !viewer || response.body.kind !== 'single') return;
          const data = response.body.singleResult.data as Record<string, unknown> | null | undefined;
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== Kind.FIELD || !audited.has(selection.name.value)) continue;
            const payload = data?.[selection.alias?.value ?? selection.name.value] as { userErrors?: { code: string }[] } | null | undefined;
            if (!payload) continue;
            const entry = {
              tenantId: viewer.tenantId,
              actorId: viewer.userId,
              action: selection.name.value,
              details: { arguments: shorten(argumentsOf(schema, selection, request.variables ?? {})), userErrors: payload.userErrors?.map((e) => e.code) ?? null },
              requestId: contextValue.requestId ?? null,
            };
            access.recordAudit(entry).catch((err) => logger.error({ err, action: entry.action, requestId: entry.requestId }, 'audit entry not recorded'));
          }
        },
      };
    },
  };
}

function argumentsOf(schema: GraphQLSchema, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const field = schema.getMutationType()?.getFields()[node.name.value];
  if (!field) return {};
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {};
  }
}

function shorten(value: unknown): unknown {
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_LIST).map(shorten);
    return value.length > MAX_LIST ? { first: kept, count: value.length } : kept;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]));
  return value;
}

