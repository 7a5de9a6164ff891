import { Topic, type DomainEvent } from '@stockline/events';
import type { IngestEvent } from '../data/analytics-store.ts';

type Payload = Record<string, unknown>;
const int = (v: unknown) => Number(v ?? 0);
const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * What one event of the log means to the star schema: StockChanged is a fact (one ledger line),
 * ItemChanged describes the item dimension, LowStock reports a level's reorder point. Every other event
 * only advances the tenant's watermark. Payload shapes: inventory's stock-ledger.ts and catalog.service.ts.
 */
export function toIngestEvent(event: DomainEvent): IngestEvent {
  const p = event.payload as Payload;
  const base: IngestEvent = {
    id: event.id,
    stream: event.stream,
    tenantId: event.tenantId,
    seq: Number(event.seq),
    pos: Number(event.pos ?? 0),
    occurredAt: new Date(event.occurredAt),
  };
  switch (event.type) {
    case Topic.StockChanged:
      return {
        ...base,
        // The movement's own time (the ledger's), not the outbox row's.
        occurredAt: new Date(String(p.occurredAt ?? event.occurredAt)),
        fact: {
          tenantId: event.tenantId,
          eventId: event.id,
          seq: Number(event.seq),
          movementId: str(p.movementId),
          occurredAt: new Date(String(p.occurredAt ?? event.occurredAt)),
          itemId: String(p.itemId),
          locationId: String(p.locationId),
          reason: String(p.reason),
          onHandDelta: int(p.onHandDelta),
          reservedDelta: int(p.reservedDelta),
          onHandAfter: int(p.onHand),
          reservedAfter: int(p.reserved),
          reorderPoint: intOrNull(p.reorderPoint),
        },
      };
    case Topic.ItemChanged:
      return {
        ...base,
        item: {
          tenantId: event.tenantId,
          itemId: String(p.itemId),
          sku: str(p.sku),
          name: str(p.name),
          categoryId: str(p.categoryId),
          archived: Boolean(p.archived),
          version: int(p.version),
        },
      };
    case Topic.LowStock:
      return {
        ...base,
        level: { itemId: String(p.itemId), locationId: String(p.locationId), onHand: int(p.onHand), reserved: int(p.reserved), reorderPoint: intOrNull(p.reorderPoint) },
      };
    default:
      return base;
  }
}
