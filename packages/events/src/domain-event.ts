/** Event types carried on the streams (and the subscription fields they feed). */
export enum Topic {
  StockChanged = 'StockChanged',
  LowStock = 'LowStock',
  ReservationChanged = 'ReservationChanged',
  ItemChanged = 'ItemChanged',
  OrderStatusChanged = 'OrderStatusChanged',
}

/**
 * One event of a service's stream, as written to its outbox and published by the relay.
 * `seq` is gap-free and strictly increasing per (stream, tenant) in commit order; `pos` is strictly
 * increasing per stream across tenants in the same order; `id` is for consumers to dedupe.
 */
export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  stream: string;
  tenantId: string;
  seq: number;
  pos: number;
  type: Topic;
  occurredAt: string;
  payload: P;
}

/** The opaque cursor clients pass as `after` to resume a stream: stream and sequence number. */
export function encodeCursor(stream: string, seq: number): string {
  return Buffer.from(`${stream}:${seq}`).toString('base64url');
}

/** The sequence number in a cursor of `stream`, or null when the cursor is not one. */
export function decodeCursor(stream: string, cursor: string): number | null {
  const text = Buffer.from(cursor, 'base64url').toString();
  const [name, seq] = text.split(':');
  const n = Number(seq);
  return name === stream && Number.isSafeInteger(n) && n >= 0 ? n : null;
}
