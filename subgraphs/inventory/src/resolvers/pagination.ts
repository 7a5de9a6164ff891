import { connectionFrom, decodeCursor, pageSize } from '@stockline/service';

const isSkuCursor = (v: unknown): v is { sku: string } => typeof (v as { sku?: unknown })?.sku === 'string';
const isIdCursor = (v: unknown): v is { id: string } => typeof (v as { id?: unknown })?.id === 'string' && /^\d{1,19}$/.test((v as { id: string }).id);

/** Items are paged by sku. */
export function itemPage(args: { first?: number | null; after?: string | null }) {
  return { limit: pageSize(args.first), afterSku: decodeCursor(args.after, isSkuCursor)?.sku ?? null };
}

/** The ledger is paged newest first by id. */
export function movementPage(args: { first?: number | null; after?: string | null }) {
  return { limit: pageSize(args.first), beforeId: decodeCursor(args.after, isIdCursor)?.id ?? null };
}

export { connectionFrom };
