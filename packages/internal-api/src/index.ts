export { INTERNAL_API_BASE, INTERNAL_API_STATUS, InternalApiErrorCode, badRequestBody, internalApiErrorBody, type InternalApiErrorBody } from './internal-api-error.ts';
export {
  INVENTORY_API,
  InventoryRoute,
  routePath,
  reservationSchema,
  userErrorSchema,
  type InventoryApi,
  type InventoryRequest,
  type InventoryParsedRequest,
  type InventoryResponse,
  type InventoryReservation,
  type ReserveLinesRequest,
  type ConsumeRequest,
  type ReleaseRequest,
  type ReserveLinesResponse,
  type ReservationsResponse,
} from './inventory-api.ts';
