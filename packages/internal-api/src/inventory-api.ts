import { z } from 'zod';
import { UserErrorCode } from '@stockline/errors';
import { INTERNAL_API_BASE } from './internal-api-error.ts';

/**
 * Inventory's internal reservation API, the one contract its server (inventory's
 * `use-internal-api.ts`) and its client (orders' `inventory.client.ts`) are typed and validated by.
 * Every request carries `actorId` (the user on whose behalf the service acts, for the ledger) and an
 * idempotency key; the service token's tenant scopes the call.
 */

const id = z.string().min(1);
const idempotencyKey = z.string().min(1).max(255);
/** Quantities are integers; their range is a business rule answered as a userError (INVALID_INPUT). */
const quantity = z.number().int();

export const userErrorSchema = z.object({
  code: z.enum(UserErrorCode),
  message: z.string(),
  field: z.array(z.string()).nullish(),
  itemId: z.string().nullish(),
  available: z.number().nullish(),
  current: z.number().nullish(),
});

export const reservationSchema = z.object({
  id,
  itemId: id,
  locationId: id,
  quantity: z.number().int(),
  consumedQuantity: z.number().int(),
  status: z.enum(['ACTIVE', 'CONSUMED', 'RELEASED', 'EXPIRED']),
  reference: z.string().nullable(),
  /** ISO-8601 once serialised. */
  expiresAt: z.string().nullish(),
  createdAt: z.string().optional(),
});

const caller = { actorId: z.string().min(1, 'must be a non-empty string') };

export const reserveLinesRequest = z.object({
  ...caller,
  idempotencyKey,
  reference: z.string().max(255).nullish(),
  /** Lines without a location are allocated by inventory; a line may be split across locations. */
  lines: z.array(z.object({ itemId: id, quantity, locationId: id.nullish() })),
});
export const reserveLinesResponse = z.object({
  /** One entry per reservation made, tagged with the input line's index. */
  reservations: z.array(reservationSchema.extend({ lineIndex: z.number().int().min(0) })),
  userErrors: z.array(userErrorSchema),
});

export const consumeRequest = z.object({
  ...caller,
  idempotencyKey,
  reference: z.string().max(255).nullish(),
  consumptions: z.array(z.object({ reservationId: id, quantity })),
});
export const releaseRequest = z.object({
  ...caller,
  idempotencyKey,
  reservationIds: z.array(id),
});
export const reservationsResponse = z.object({
  reservations: z.array(reservationSchema),
  userErrors: z.array(userErrorSchema),
});

/** Full paths of inventory's internal routes. */
export enum InventoryRoute {
  ReserveLines = '/internal/v1/reservations/reserve-lines',
  Consume = '/internal/v1/reservations/consume',
  Release = '/internal/v1/reservations/release',
}

/** Each route's request and response schema. */
export const INVENTORY_API = {
  [InventoryRoute.ReserveLines]: { request: reserveLinesRequest, response: reserveLinesResponse },
  [InventoryRoute.Consume]: { request: consumeRequest, response: reservationsResponse },
  [InventoryRoute.Release]: { request: releaseRequest, response: reservationsResponse },
} as const satisfies Record<InventoryRoute, { request: z.ZodObject; response: z.ZodObject }>;

/** A route's path below INTERNAL_API_BASE (where the server mounts its router). */
export const routePath = (route: InventoryRoute) => route.slice(INTERNAL_API_BASE.length);

export type InventoryApi = typeof INVENTORY_API;
/** What a caller sends (without `actorId`, which the client adds from the caller). */
export type InventoryRequest<R extends InventoryRoute> = Omit<z.input<InventoryApi[R]['request']>, 'actorId'>;
/** What the server's handler receives, validated. */
export type InventoryParsedRequest<R extends InventoryRoute> = z.output<InventoryApi[R]['request']>;
/** What the server answers (200) and the client returns, validated. */
export type InventoryResponse<R extends InventoryRoute> = z.output<InventoryApi[R]['response']>;

export type ReserveLinesRequest = InventoryRequest<InventoryRoute.ReserveLines>;
export type ConsumeRequest = InventoryRequest<InventoryRoute.Consume>;
export type ReleaseRequest = InventoryRequest<InventoryRoute.Release>;
export type ReserveLinesResponse = InventoryResponse<InventoryRoute.ReserveLines>;
export type ReservationsResponse = InventoryResponse<InventoryRoute.Consume>;
export type InventoryReservation = z.output<typeof reservationSchema>;
