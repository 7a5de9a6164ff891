/** Business outcomes returned as data in a payload's `userErrors` (see the contract). */
export enum UserErrorCode {
  InvalidInput = 'INVALID_INPUT',
  NotFound = 'NOT_FOUND',
  DuplicateSku = 'DUPLICATE_SKU',
  InsufficientStock = 'INSUFFICIENT_STOCK',
  QuantityStale = 'QUANTITY_STALE',
  VersionConflict = 'VERSION_CONFLICT',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  InvalidState = 'INVALID_STATE',
  LimitExceeded = 'LIMIT_EXCEEDED',
}

export interface UserError {
  code: UserErrorCode;
  message: string;
  field?: string[] | null;
  itemId?: string | null;
  available?: number | null;
  current?: number | null;
}

/** Builds a user error; `field` is the path to the offending input, e.g. ['inputs', '3', 'sku']. */
export function userError(
  code: UserErrorCode,
  message: string,
  field?: (string | number)[],
  extra: Pick<UserError, 'itemId' | 'available' | 'current'> = {},
): UserError {
  return { code, message, field: field?.map(String) ?? null, ...extra };
}
