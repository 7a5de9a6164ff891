import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '@stockline/errors';

/** HTTP answers that mean the subgraph cannot serve now (a proxy in front of it, or it is shutting down). */
export const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * The answer the gateway gives itself for a subgraph it could not reach (connection refused or
 * reset, no answer in time, 502/503/504): an error per field that fetch would have filled, at that
 * field's path, with code SERVICE_UNAVAILABLE and the subgraph's name. Apollo Gateway turns a thrown
 * fetch error into one error with no path and no service; answering like this lets it place each
 * error where the data is missing (entity fetches: `_entities.<i>.<field>`, mapped back to the
 * entity's path) and keep everything the other subgraphs returned.
 */
export function subgraphUnavailable({ serviceName, query, document, representations }: {
  serviceName: string;
  query: string;
  document?: DocumentNode;
  /** The `_entities` representations of an entity fetch, in the order the gateway sent them. */
  representations?: unknown;
}): GatewayGraphQLResponse {
  const message = `The ${serviceName} service is unavailable; the fields it serves are missing from this answer (retry later)`;
  const extensions = { code: ErrorCode.ServiceUnavailable, serviceName };
  const root = rootSelection(document ?? parse(query));
  const entities = root?.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (entities && entities.kind === Kind.FIELD && Array.isArray(representations)) {
    const fields = responseNames(entities.selectionSet);
    return {
      data: null,
      errors: representations.flatMap((_, i) => (fields.length ? fields : [null]).map((field) => ({ message, path: field ? ['_entities', i, field] : ['_entities', i], extensions }))),
    };
  }
  const fields = responseNames(root);
  return { data: null, errors: fields.length ? fields.map((field) => ({ message, path: [field], extensions })) : [{ message, extensions }] };
}

function rootSelection(document: DocumentNode): SelectionSetNode | undefined {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : undefined;
}

/** The response names a selection set fills (through inline fragments), without `__typename`. */
function responseNames(selectionSet: SelectionSetNode | undefined): string[] {
  const names = new Set<string>();
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') names.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      for (const name of responseNames(selection.selectionSet)) names.add(name);
    }
  }
  return [...names];
}
