import { connectionFrom, decodeCursor, pageSize } from '@stockline/service';

const isSeqCursor = (v: unknown): v is { seq: number } => Number.isSafeInteger((v as { seq?: unknown })?.seq) && (v as { seq: number }).seq > 0;

/** Orders are paged newest first by their per-tenant sequence number. */
export function orderPage(args: { first?: number | null; after?: string | null }) {
  return { limit: pageSize(args.first), beforeSeq: decodeCursor(args.after, isSeqCursor)?.seq ?? null };
}

export { connectionFrom };
