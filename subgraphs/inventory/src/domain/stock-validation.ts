import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import type { Repositories } from '../data/repositories.ts';
import type { Tx } from '../data/prisma.ts';
import { isUuid } from '@stockline/service';

/** Largest quantity one change may carry; keeps sums far from int4 overflow. */
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_REFERENCE_LENGTH = 500;

/** INVALID_INPUT errors of a quantity (`min` 0 or 1), at `field`. */
export function checkQuantity(value: number, field: string[], { min = 1, allowNegative = false } = {}): UserError | null {
  if (!Number.isInteger(value)) return userError(UserErrorCode.InvalidInput, `${field.at(-1)} must be a whole number`, field);
  if (allowNegative ? value === 0 : value < min) {
    const expected = allowNegative ? 'non-zero' : min === 0 ? 'zero or more' : 'at least 1';
    return userError(UserErrorCode.InvalidInput, `${field.at(-1)} must be ${expected}; got ${value}`, field);
  }
  if (Math.abs(value) > MAX_QUANTITY) return userError(UserErrorCode.InvalidInput, `${field.at(-1)} must be at most ${MAX_QUANTITY}`, field);
  return null;
}

export function checkReference(value: string | null | undefined, field: string[]): UserError | null {
  return value != null && value.length > MAX_REFERENCE_LENGTH
    ? userError(UserErrorCode.InvalidInput, `reference must be at most ${MAX_REFERENCE_LENGTH} characters`, field)
    : null;
}

/**
 * Which of the given item and location ids exist in the tenant (one query for both, whatever the count).
 * Malformed ids simply do not exist.
 */
export async function existingIds(tx: Tx, repos: Pick<Repositories, 'items'>, tenantId: string, { itemIds, locationIds }: { itemIds: string[]; locationIds: string[] }) {
  const items = [...new Set(itemIds.filter(isUuid))];
  const locations = [...new Set(locationIds.filter(isUuid))];
  if (items.length === 0 && locations.length === 0) return { items: new Set<string>(), locations: new Set<string>() };
  return repos.items.findExisting({ tenantId, itemIds: items, locationIds: locations }, tx);
}

/** NOT_FOUND for the first of item / location that does not exist, else null. */
export function checkExists(
  found: { items: Set<string>; locations: Set<string> },
  { itemId, locationId }: { itemId: string; locationId: string },
  path: string[],
  locationField = 'locationId',
): UserError | null {
  if (!found.items.has(itemId)) return userError(UserErrorCode.NotFound, `No item with id "${itemId}"`, [...path, 'itemId'], { itemId });
  if (!found.locations.has(locationId)) {
    return userError(UserErrorCode.NotFound, `No location with id "${locationId}"`, [...path, locationField], { itemId });
  }
  return null;
}
