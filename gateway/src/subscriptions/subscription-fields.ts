import { Topic, encodeCursor, type DomainEvent } from '@stockline/events';

/** Variables the hydration query declares for the event's keys (prefixed so they never meet a client's). */
export const KEY_VARIABLES = { itemId: '_slItemId', locationId: '_slLocationId', orderId: '_slOrderId' } as const;
type KeyVariable = (typeof KEY_VARIABLES)[keyof typeof KEY_VARIABLES];

/**
 * How one entity field of an event type is resolved through the gateway: the root field of the hydration
 * query that fetches it (aliased to the subscriber's response key, with the subscriber's selection), and
 * where the entity sits in that field's answer.
 */
export interface EntityHydration {
  variables: KeyVariable[];
  field(alias: string, selection: string): string;
  extract(answer: unknown): unknown;
}

/** One field of `Subscription`: the stream and event type it follows, its filters, and what the event carries. */
export interface SubscriptionField {
  stream: 'inventory' | 'orders';
  topic: Topic;
  /** Scope a caller needs (the same one the subgraph asks for to read those entities). */
  scope: string;
  /** Filters from the field's arguments, applied to the event before any hydration. */
  accepts(payload: Record<string, unknown>, args: Record<string, unknown>): boolean;
  /** The event type's own fields (scalars, enums), read from the event. */
  values(event: DomainEvent): Record<string, unknown>;
  /** The event type's entity fields. */
  entities: Record<string, EntityHydration>;
  /** Values of the key variables for an event. */
  keys(payload: Record<string, unknown>): Partial<Record<KeyVariable, unknown>>;
}

const LEVEL = '_slLevel';
const level = (answer: unknown) => ((answer as Record<string, unknown[]> | null)?.[LEVEL]?.[0] ?? null) as Record<string, unknown> | null;

const item: EntityHydration = {
  variables: [KEY_VARIABLES.itemId],
  field: (alias, selection) => `${alias}: item(id: $${KEY_VARIABLES.itemId}) ${selection}`,
  extract: (answer) => answer ?? null,
};
// There is no `location(id:)` root field: a stock event's location is reached through its level.
const location: EntityHydration = {
  variables: [KEY_VARIABLES.itemId, KEY_VARIABLES.locationId],
  field: (alias, selection) => `${alias}: item(id: $${KEY_VARIABLES.itemId}) { ${LEVEL}: stockLevels(locationId: $${KEY_VARIABLES.locationId}) { location ${selection} } }`,
  extract: (answer) => level(answer)?.location ?? null,
};
const stockLevel: EntityHydration = {
  variables: [KEY_VARIABLES.itemId, KEY_VARIABLES.locationId],
  field: (alias, selection) => `${alias}: item(id: $${KEY_VARIABLES.itemId}) { ${LEVEL}: stockLevels(locationId: $${KEY_VARIABLES.locationId}) ${selection} }`,
  extract: (answer) => level(answer),
};
const order: EntityHydration = {
  variables: [KEY_VARIABLES.orderId],
  field: (alias, selection) => `${alias}: order(id: $${KEY_VARIABLES.orderId}) ${selection}`,
  extract: (answer) => answer ?? null,
};

const occurredAt = (event: DomainEvent) => (event.payload.occurredAt as string | undefined) ?? event.occurredAt;
const levelKeys = (p: Record<string, unknown>) => ({ [KEY_VARIABLES.itemId]: p.itemId, [KEY_VARIABLES.locationId]: p.locationId });
const atLocation = (p: Record<string, unknown>, args: Record<string, unknown>) => args.locationId == null || args.locationId === p.locationId;

/** The contract's subscription fields. */
export const SUBSCRIPTION_FIELDS: Record<string, SubscriptionField> = {
  stockChanged: {
    stream: 'inventory',
    topic: Topic.StockChanged,
    scope: 'read_inventory',
    accepts: (p, args) => atLocation(p, args) && (!Array.isArray(args.itemIds) || args.itemIds.includes(p.itemId)),
    values: (event) => {
      const p = event.payload;
      return {
        cursor: encodeCursor(event.stream, event.seq),
        reason: p.reason,
        onHand: p.onHand,
        reserved: p.reserved,
        available: p.available,
        onHandDelta: p.onHandDelta,
        reservedDelta: p.reservedDelta,
        occurredAt: occurredAt(event),
      };
    },
    entities: { item, location },
    keys: levelKeys,
  },
  lowStock: {
    stream: 'inventory',
    topic: Topic.LowStock,
    scope: 'read_inventory',
    accepts: atLocation,
    values: (event) => ({ cursor: encodeCursor(event.stream, event.seq), occurredAt: occurredAt(event) }),
    entities: { stockLevel },
    keys: levelKeys,
  },
  orderStatusChanged: {
    stream: 'orders',
    topic: Topic.OrderStatusChanged,
    scope: 'read_orders',
    accepts: (p, args) => args.orderId == null || args.orderId === p.orderId,
    values: (event) => ({ cursor: encodeCursor(event.stream, event.seq), previousStatus: event.payload.previousStatus ?? null, occurredAt: occurredAt(event) }),
    entities: { order },
    keys: (p) => ({ [KEY_VARIABLES.orderId]: p.orderId }),
  },
};
