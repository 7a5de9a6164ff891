import { GraphQLError, buildASTSchema, execute, parse, printSchema, type ExecutionResult, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Viewer } from '@stockline/auth';
import type { DomainEvent } from '@stockline/events';
import type { PreparedSubscription } from './prepare-subscription.ts';

/** Runs a query through the gateway's own query planning, in this process, as `viewer`. */
export type ExecuteAsViewer = (request: { query: string; variables: Record<string, unknown>; operationName?: string }, viewer: Viewer) => Promise<ExecutionResult>;

/** Results kept per group, so subscribers resuming from the same place reuse them. @default 256 */
export const DEFAULT_RESULT_CACHE = 256;

const EVENT = Symbol('stockline.event');

interface EventValue {
  [EVENT]: true;
  values: Record<string, unknown>;
  /** Hydrated entities by the subscriber's response key. */
  entities: Record<string, unknown>;
  entityFields: Set<string>;
}

/**
 * Shapes the result from what is already at hand, without resolvers: the event's own fields by name,
 * entity fields by response key from the hydration answer, and below them the answer as the gateway
 * gave it (keyed by response key too, since the hydration query carries the subscriber's selection).
 */
const resolveFromEvent: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (info.parentType === info.schema.getSubscriptionType()) return source;
  if (source && typeof source === 'object' && EVENT in source) {
    const event = source as EventValue;
    return event.entityFields.has(info.fieldName) ? event.entities[info.path.key as string] : event.values[info.fieldName];
  }
  return (source as Record<string, unknown> | null)?.[info.path.key as string];
};

const executable = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** A copy of the API schema without any resolver attached, for `resolveFromEvent` to drive. */
function executableSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  let schema = executable.get(apiSchema);
  if (!schema) executable.set(apiSchema, (schema = buildASTSchema(parse(printSchema(apiSchema)), { assumeValid: true })));
  return schema;
}

/**
 * The subscribers that share a `PreparedSubscription.key`: one hydration and one result per event for all
 * of them, as the identity of a current member (they all share tenant and scopes).
 */
export class HydrationGroup {
  private readonly members = new Map<number, Viewer>();
  private readonly results = new Map<string, Promise<ExecutionResult>>();

  constructor(
    private readonly prepared: PreparedSubscription,
    private readonly options: { schema: GraphQLSchema; executeAsViewer: ExecuteAsViewer; cacheSize?: number },
  ) {}

  get size(): number {
    return this.members.size;
  }

  join(id: number, viewer: Viewer): void {
    this.members.set(id, viewer);
  }

  /** Returns how many members remain. */
  leave(id: number): number {
    this.members.delete(id);
    return this.members.size;
  }

  /** The result every member receives for `event` (computed once, then shared). */
  resultFor(event: DomainEvent): Promise<ExecutionResult> {
    let result = this.results.get(event.id);
    if (!result) {
      result = this.compute(event);
      this.results.set(event.id, result);
      if (this.results.size > (this.options.cacheSize ?? DEFAULT_RESULT_CACHE)) this.results.delete(this.results.keys().next().value!);
    }
    return result;
  }

  private async compute(event: DomainEvent): Promise<ExecutionResult> {
    const { prepared } = this;
    const { field, hydration } = prepared;
    const entities: Record<string, unknown> = {};
    const errors: GraphQLError[] = [];
    if (hydration) {
      const answer = await this.hydrate(event);
      for (const { key, extract } of hydration.entities) entities[key] = extract((answer.data as Record<string, unknown> | null | undefined)?.[key] ?? null);
      for (const e of answer.errors ?? []) {
        const extensions = (e as { extensions?: Record<string, unknown> }).extensions;
        errors.push(new GraphQLError(e.message, { path: e.path ? [prepared.fieldName, ...e.path] : undefined, extensions }));
      }
    }
    const rootValue: EventValue = { [EVENT]: true, values: field.values(event), entities, entityFields: new Set(Object.keys(field.entities)) };
    const result = (await execute({
      schema: executableSchema(this.options.schema),
      document: prepared.document,
      operationName: prepared.operationName,
      variableValues: prepared.variableValues,
      rootValue,
      fieldResolver: resolveFromEvent,
    })) as ExecutionResult;
    const all = [...errors, ...(result.errors ?? [])];
    return all.length > 0 ? { data: result.data, errors: all } : { data: result.data };
  }

  private async hydrate(event: DomainEvent): Promise<ExecutionResult> {
    const viewer = this.currentViewer();
    if (!viewer) return { data: null, errors: [new GraphQLError('No subscriber left to fetch as', { extensions: { code: 'UNAUTHENTICATED' } })] };
    const { hydration, field } = this.prepared;
    try {
      return await this.options.executeAsViewer({ query: hydration!.query, variables: { ...hydration!.variables, ...field.keys(event.payload) } }, viewer);
    } catch (error) {
      return { data: null, errors: [new GraphQLError('The event could not be completed from the subgraphs', { originalError: error as Error, extensions: { code: 'SERVICE_UNAVAILABLE' } })] };
    }
  }

  /** The newest member whose credential is still valid. */
  private currentViewer(): Viewer | null {
    const now = Date.now();
    let chosen: Viewer | null = null;
    for (const viewer of this.members.values()) if (!viewer.expiresAt || viewer.expiresAt.getTime() > now) chosen = viewer;
    return chosen;
  }
}
