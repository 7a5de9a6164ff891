import {
  Kind,
  getNamedType,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields.js';
import { decodeCursor } from '@stockline/events';
import { BadUserInputError, ForbiddenError } from '@stockline/errors';
import { SUBSCRIPTION_FIELDS, type SubscriptionField } from './subscription-fields.ts';

/** The gateway query that fetches the entities a subscriber selected, and the variables it takes from the client. */
export interface HydrationQuery {
  query: string;
  /** The client's variables the query uses. */
  variables: Record<string, unknown>;
  /** Response key of each entity field → how to read it out of the answer. */
  entities: { key: string; extract: (answer: unknown) => unknown }[];
}

/** A validated subscription operation, ready to be opened. */
export interface PreparedSubscription {
  field: SubscriptionField;
  fieldName: string;
  /** Coerced arguments of the root field. */
  args: Record<string, unknown>;
  /** The `seq` after which to start, or undefined for live only. */
  after: number | undefined;
  document: DocumentNode;
  operationName: string | undefined;
  variableValues: Record<string, unknown>;
  /** Null when the subscriber selected no entity (nothing to fetch). */
  hydration: HydrationQuery | null;
  /**
   * Subscribers with the same key receive the same result for an event: same tenant and scopes (the
   * identity the hydration runs as), same field, filters and selection, same values of the variables the
   * selection uses. `after` is left out: it changes where a subscriber starts, not what an event gives.
   */
  key: string;
}

/**
 * Checks a subscription document against what the gateway serves and derives everything the fan-out needs.
 * Throws BAD_USER_INPUT for a bad cursor or variables, FORBIDDEN without the field's scope.
 */
export function prepareSubscription({
  schema,
  document,
  operationName,
  variables,
  tenantId,
  scopes,
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  tenantId: string;
  scopes: readonly string[];
}): PreparedSubscription {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription') throw new BadUserInputError('Expected a subscription operation');
  const subscriptionType = schema.getSubscriptionType()!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) throw new BadUserInputError(coerced.errors.map((e) => e.message).join('; '));
  const variableValues = coerced.coerced;
  const fragments = fragmentsOf(document);

  const rootFields = collectFields(schema, fragments, variableValues, subscriptionType, operation.selectionSet);
  const [[rootKey, rootNodes]] = [...rootFields.entries()];
  const fieldName = rootNodes[0].name.value;
  const field = SUBSCRIPTION_FIELDS[fieldName];
  const definition = subscriptionType.getFields()[fieldName];
  if (!field || !definition) throw new BadUserInputError(`Subscription field "${fieldName}" is not served`);
  if (!scopes.includes(field.scope)) throw new ForbiddenError(`Subscribing to ${fieldName} needs the "${field.scope}" scope`);
  const args = getArgumentValues(definition, rootNodes[0], variableValues);
  const after = cursorSeq(field.stream, args.after);

  const eventType = getNamedType(definition.type) as GraphQLObjectType;
  const eventFields = collectSubfields(schema, fragments, variableValues, eventType, rootNodes);
  const hydration = hydrationQuery({ field, eventFields, fragments, operation, variableValues });

  const filters = Object.fromEntries(Object.entries(args).filter(([name]) => name !== 'after'));
  const selection = rootNodes.map((n) => print(n.selectionSet!)).join(' ');
  const usedFragments = [...fragmentNamesIn(rootNodes.map((n) => n.selectionSet!), fragments)].sort().map((name) => print(fragments[name]));
  const usedVariables = Object.fromEntries([...variablesIn(rootNodes.map((n) => n.selectionSet!), fragments)].sort().map((name) => [name, variableValues[name]]));
  const key = JSON.stringify([tenantId, [...scopes].sort(), rootKey, fieldName, filters, selection, usedFragments, usedVariables]);

  return { field, fieldName, args, after, document, operationName: operationName ?? undefined, variableValues, hydration, key };
}

/** `after` as a sequence number; BAD_USER_INPUT when it is not a cursor of `stream`. */
function cursorSeq(stream: string, after: unknown): number | undefined {
  if (after === undefined || after === null) return undefined;
  const seq = typeof after === 'string' ? decodeCursor(stream, after) : null;
  if (seq === null) throw new BadUserInputError(`"after" is not a cursor of the ${stream} stream: pass the cursor of an event this subscription delivered`, 'after');
  return seq;
}

function hydrationQuery({
  field,
  eventFields,
  fragments,
  operation,
  variableValues,
}: {
  field: SubscriptionField;
  eventFields: Map<string, readonly FieldNode[]>;
  fragments: Record<string, FragmentDefinitionNode>;
  operation: OperationDefinitionNode;
  variableValues: Record<string, unknown>;
}): HydrationQuery | null {
  const parts: string[] = [];
  const selections: SelectionSetNode[] = [];
  const keyVariables = new Set<string>();
  const entities: HydrationQuery['entities'] = [];
  for (const [key, nodes] of eventFields) {
    const entity = field.entities[nodes[0].name.value];
    if (!entity) continue;
    // Several nodes under one response key are merged, as execution merges them.
    const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []) };
    selections.push(merged);
    parts.push(entity.field(key, print(merged)));
    entity.variables.forEach((v) => keyVariables.add(v));
    entities.push({ key, extract: entity.extract });
  }
  if (parts.length === 0) return null;
  const clientVariables = variablesIn(selections, fragments);
  const definitions = [
    ...[...keyVariables].map((v) => `$${v}: ID!`),
    ...(operation.variableDefinitions ?? []).filter((d) => clientVariables.has(d.variable.name.value)).map((d) => print(d)),
  ];
  const usedFragments = [...fragmentNamesIn(selections, fragments)].map((name) => print(fragments[name]));
  const query = [`query StocklineSubscriptionHydration(${definitions.join(', ')}) { ${parts.join(' ')} }`, ...usedFragments].join('\n');
  return { query, variables: Object.fromEntries([...clientVariables].map((name) => [name, variableValues[name]])), entities };
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return fragments;
}

/** Names of the fragments the selections spread, transitively. */
function fragmentNamesIn(selections: readonly SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  const walk = (node: SelectionSetNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (names.has(name) || !fragments[name]) return;
        names.add(name);
        walk(fragments[name].selectionSet);
      },
    });
  selections.forEach(walk);
  return names;
}

/** Names of the variables the selections (and the fragments they spread) use. */
function variablesIn(selections: readonly SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  const nodes = [...selections, ...[...fragmentNamesIn(selections, fragments)].map((n) => fragments[n].selectionSet)];
  for (const node of nodes) visit(node, { Variable: (v) => void names.add(v.name.value) });
  return names;
}
