import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, isInterfaceType, isUnionType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';

/** The public API as clients see it: schema/supergraph.graphql without the federation directives. */
export const apiSchema: GraphQLSchema = Supergraph.build(readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();

export type FieldOf = GraphQLField<unknown, unknown>;
export const rootFields = (root: 'Query' | 'Mutation' | 'Subscription'): FieldOf[] => {
  const type = root === 'Query' ? apiSchema.getQueryType() : root === 'Mutation' ? apiSchema.getMutationType() : apiSchema.getSubscriptionType();
  return Object.values(type?.getFields() ?? {});
};

/** Names of arguments or input fields that carry an entity id. */
export const isIdName = (name: string) => /^(id|ids)$|Ids?$/.test(name);

/**
 * A minimal, valid-looking value for an input type: required fields filled, optional ones left out
 * (an id-like field takes `pickId(name)`). Lists get one element.
 */
export function sampleValue(type: GraphQLInputType, name: string, pickId: (name: string) => string, required = isNonNullType(type)): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, name, pickId, true);
  if (isListType(type)) return [sampleValue(type.ofType, name.replace(/s$/, ''), pickId, true)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sampleValue(field.type, field.name, pickId, true);
      else if (isIdName(field.name)) value[field.name] = sampleValue(field.type, field.name, pickId, true);
    }
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID': return pickId(name);
      case 'Int': return 1;
      case 'Float': return 1;
      case 'Boolean': return true;
      case 'DateTime': return name === 'from' ? '2020-01-01T00:00:00Z' : '2030-01-01T00:00:00Z';
      case 'JSON': return {};
      default: return required ? `x-${name}` : undefined;
    }
  }
  return undefined;
}

/** Arguments for a field: required ones and every id-like one. */
export function sampleArgs(field: FieldOf, pickId: (name: string) => string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of field.args as readonly GraphQLArgument[]) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required || isIdName(arg.name) || (isInputObjectType(getNamedType(arg.type)) && isNonNullType(arg.type))) args[arg.name] = sampleValue(arg.type, arg.name, pickId, required);
  }
  return args;
}

/** A selection of every scalar (to `depth`), skipping fields that need arguments. */
export function selectionOf(type: GraphQLOutputType, depth = 3): string {
  const named = getNamedType(type);
  if (!isObjectType(named) && !isInterfaceType(named)) return isUnionType(named) ? '{ __typename }' : '';
  const parts: string[] = ['__typename'];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(field.type);
    if (isScalarType(inner) || isEnumType(inner)) parts.push(field.name);
    else if (depth > 1) {
      const sub = selectionOf(field.type, depth - 1);
      if (sub) parts.push(`${field.name} ${sub}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/** One operation calling `field` with its arguments as variables, selecting `selection`. */
export function operationFor(kind: 'query' | 'mutation' | 'subscription', field: FieldOf, args: Record<string, unknown>, selection = selectionOf(field.type)): string {
  const used = field.args.filter((a) => a.name in args);
  const vars = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection} }`;
}
