import { BadUserInputError } from '@stockline/errors';

/** Page size ceiling for every connection (Shopify's is 250 too). */
export const DEFAULT_MAX_PAGE_SIZE = 250;

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | (() => Promise<number>);
}

/** Opaque cursor around a keyset position (JSON, base64url). */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The keyset position of a cursor; BAD_USER_INPUT when it is not one of ours. */
export function decodeCursor<T>(cursor: string | null | undefined, isValid: (value: unknown) => value is T): T | null {
  if (cursor == null) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (isValid(value)) return value;
  } catch {
    // fall through
  }
  throw new BadUserInputError(`"after" is not a cursor this list produced: "${cursor}"`, 'after');
}

/** Validates `first`: 0 ≤ first ≤ max, else BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined, max = DEFAULT_MAX_PAGE_SIZE, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new BadUserInputError(`"first" must be between 0 and ${max}; got ${n}`, 'first');
  }
  return n;
}

/**
 * Builds a Relay connection from rows fetched with LIMIT first + 1 (the extra row tells hasNextPage).
 * `totalCount` is resolved lazily, only when asked for.
 */
export function connectionFrom<T>(
  rows: T[],
  { first, after, cursorOf, totalCount }: { first: number; after: unknown; cursorOf: (row: T) => unknown; totalCount: () => Promise<number> },
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
