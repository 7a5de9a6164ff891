/**
 * The analytics store's port: everything the domain asks of the columnar engine. DuckDB implements it
 * in-process (`DuckDbAnalyticsStore`); a distributed engine (ClickHouse) can implement the same
 * interface at scale (see docs/analytics.md). Every read is scoped to one tenant.
 */

export type Interval = 'DAY' | 'WEEK' | 'MONTH';

/** One ledger line as a fact row (the star schema's grain: one stock movement). */
export interface MovementFact {
  tenantId: string;
  eventId: string;
  seq: number;
  movementId: string | null;
  occurredAt: Date;
  itemId: string;
  locationId: string;
  reason: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  reorderPoint: number | null;
}

/** The item dimension as the catalog last described it. */
export interface ItemDimension {
  tenantId: string;
  itemId: string;
  sku: string | null;
  name: string | null;
  categoryId: string | null;
  archived: boolean;
  version: number;
}

/** A level seen without a movement (LowStock events carry the level and its reorder point). */
export interface LevelObservation {
  itemId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  reorderPoint: number | null;
}

/** One event as the store applies it: its identity, and what it changes (if anything). */
export interface IngestEvent {
  id: string;
  stream: string;
  tenantId: string;
  seq: number;
  pos: number;
  occurredAt: Date;
  fact?: MovementFact;
  item?: ItemDimension;
  level?: LevelObservation;
}

export interface IngestResult {
  applied: number;
  /** Events already applied before (same stream, tenant and a seq at or below the tenant's watermark). */
  skipped: number;
}

export interface Range {
  from: Date;
  to: Date;
}

export interface SummaryQuery {
  tenantId: string;
  locationId?: string | null;
  categoryId?: string | null;
}

export interface SummaryRow {
  itemCount: number;
  unitsOnHand: number;
  unitsReserved: number;
  outOfStockCount: number;
  belowReorderPointCount: number;
}

export interface TimeseriesQuery extends Range {
  tenantId: string;
  interval: Interval;
  itemId?: string | null;
  categoryId?: string | null;
  locationId?: string | null;
}

export interface PointRow {
  at: Date;
  onHand: number;
  received: number;
  shipped: number;
  adjusted: number;
}

export interface MovementStatRow {
  itemId: string;
  unitsShipped: number;
  unitsReceived: number;
}

export interface AbcRow {
  itemId: string;
  unitsShipped: number;
  share: number;
  cumulativeShare: number;
  class: 'A' | 'B' | 'C';
}

export interface DeadStockRow {
  itemId: string;
  onHand: number;
  lastMovementAt: Date | null;
  daysWithoutMovement: number;
}

export interface AbcQuery extends Range {
  tenantId: string;
  locationId?: string | null;
}

export interface DeadStockQuery {
  tenantId: string;
  now: Date;
  days: number;
  locationId?: string | null;
  limit: number;
}

/** A per-item report the CSV export streams from the store (its size grows with the catalog). */
export type ReportRequest = { report: 'abc-classification'; query: AbcQuery } | { report: 'dead-stock'; query: DeadStockQuery };

export interface AnalyticsStore {
  /** Applies events atomically with the consumer's checkpoint; events already applied are skipped. */
  ingest(consumer: string, events: IngestEvent[]): Promise<IngestResult>;
  /** The consumer's last applied log position (0 before the first). */
  loadCheckpoint(consumer: string): Promise<number>;
  /** Moves the checkpoint forward (never back) past events the consumer had nothing to apply from. */
  saveCheckpoint(consumer: string, position: number): Promise<void>;
  /** When the last applied event of the consumer happened (null before the first). */
  lastEventAt(consumer: string): Promise<Date | null>;
  /** Drops every fact, dimension and checkpoint (a rebuild starts from here). */
  reset(): Promise<void>;

  summary(query: SummaryQuery): Promise<SummaryRow>;
  timeseries(query: TimeseriesQuery): Promise<PointRow[]>;
  movementStats(query: Range & { tenantId: string; limit?: number; itemIds?: string[] }): Promise<MovementStatRow[]>;
  /** Sku and name of items, as the catalog last described them; missing items are absent. */
  itemLabels(query: { tenantId: string; itemIds: string[] }): Promise<Map<string, { sku: string | null; name: string | null }>>;
  /** Available (onHand - reserved) now, summed over locations, per item; missing items are absent. */
  availableNow(query: { tenantId: string; itemIds: string[] }): Promise<Map<string, number>>;
  abcClassification(query: AbcQuery): Promise<AbcRow[]>;
  deadStock(query: DeadStockQuery): Promise<DeadStockRow[]>;
  /** A report's rows as CSV-ready records, a chunk at a time (never the whole result in memory). */
  streamReport(request: ReportRequest): AsyncIterable<Record<string, string | number | null>[]>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
