import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BIGINT, BOOLEAN, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { bindParams, column, type Param } from './duckdb-params.ts';
import type {
  AbcQuery,
  AbcRow,
  AnalyticsStore,
  DeadStockQuery,
  DeadStockRow,
  IngestEvent,
  IngestResult,
  ItemDimension,
  MovementFact,
  MovementStatRow,
  PointRow,
  Range,
  ReportRequest,
  SummaryQuery,
  SummaryRow,
  TimeseriesQuery,
} from './analytics-store.ts';
import { DUCKDB_SCHEMA, DUCKDB_TABLES } from './duckdb-schema.ts';
import { ADJUSTED_OF, RECEIVED_OF, SHIPPED_OF, abcSql, availableSql, deadStockSql, movementStatsSql, summarySql, timeseriesSql, type Statement } from './report-sql.ts';
import { reportStatement } from './report-statement.ts';

type Row = Record<string, unknown>;
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (d: Date) => d.toISOString();

interface LevelState {
  tenantId: string;
  itemId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  reorderPoint: number | null;
  baseline: number;
  lastSeq: number;
  lastMovementAt: string | null;
}

/**
 * The analytics store on DuckDB, embedded: a file under the data directory (or `:memory:`).
 * Writes go through one connection, one transaction per batch, serialised in this process; each read
 * opens its own connection and sees the last committed batch (DuckDB's MVCC).
 */
export class DuckDbAnalyticsStore implements AnalyticsStore {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
  ) {}

  /** Opens (creating when missing) the database at `path` and its schema. */
  static async open({ path }: { path: string }): Promise<DuckDbAnalyticsStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const writer = await instance.connect();
    for (const ddl of DUCKDB_SCHEMA) await writer.run(ddl);
    return new DuckDbAnalyticsStore(instance, writer);
  }

  ingest(consumer: string, events: IngestEvent[]): Promise<IngestResult> {
    return this.exclusive(() => this.transaction(() => this.applyBatch(consumer, events)));
  }

  async loadCheckpoint(consumer: string): Promise<number> {
    const [row] = await this.read({ sql: 'SELECT position FROM consumer_checkpoint WHERE consumer = $c', params: { c: consumer } });
    return n(row?.position);
  }

  saveCheckpoint(consumer: string, position: number): Promise<void> {
    return this.exclusive(() => this.writeCheckpoint(consumer, position, null));
  }

  async lastEventAt(consumer: string): Promise<Date | null> {
    const [row] = await this.read({ sql: 'SELECT epoch_ms(last_event_at) AS ms FROM consumer_checkpoint WHERE consumer = $c', params: { c: consumer } });
    return row?.ms == null ? null : new Date(n(row.ms));
  }

  reset(): Promise<void> {
    return this.exclusive(() =>
      this.transaction(async () => {
        for (const table of DUCKDB_TABLES) await this.writer.run(`DELETE FROM ${table}`);
      }),
    );
  }

  async summary(query: SummaryQuery): Promise<SummaryRow> {
    const [row] = await this.read(summarySql(query));
    return {
      itemCount: n(row.item_count),
      unitsOnHand: n(row.units_on_hand),
      unitsReserved: n(row.units_reserved),
      outOfStockCount: n(row.out_of_stock),
      belowReorderPointCount: n(row.below_reorder_point),
    };
  }

  async timeseries(query: TimeseriesQuery): Promise<PointRow[]> {
    return (await this.read(timeseriesSql(query))).map((r) => ({
      at: new Date(n(r.at_ms)),
      onHand: n(r.on_hand),
      received: n(r.received),
      shipped: n(r.shipped),
      adjusted: n(r.adjusted),
    }));
  }

  async movementStats(query: Range & { tenantId: string; limit?: number; itemIds?: string[] }): Promise<MovementStatRow[]> {
    if (query.itemIds?.length === 0) return [];
    return (await this.read(movementStatsSql(query))).map((r) => ({ itemId: String(r.item_id), unitsShipped: n(r.shipped), unitsReceived: n(r.received) }));
  }

  async itemLabels(query: { tenantId: string; itemIds: string[] }): Promise<Map<string, { sku: string | null; name: string | null }>> {
    if (query.itemIds.length === 0) return new Map();
    const rows = await this.read({
      sql: 'SELECT item_id, sku, name FROM dim_item WHERE tenant_id = $tenant AND list_contains($items::VARCHAR[], item_id)',
      params: { tenant: query.tenantId, items: column(query.itemIds, VARCHAR) },
    });
    return new Map(rows.map((r) => [String(r.item_id), { sku: (r.sku as string | null) ?? null, name: (r.name as string | null) ?? null }]));
  }

  async availableNow(query: { tenantId: string; itemIds: string[] }): Promise<Map<string, number>> {
    if (query.itemIds.length === 0) return new Map();
    return new Map((await this.read(availableSql(query))).map((r) => [String(r.item_id), n(r.available)]));
  }

  async abcClassification(query: AbcQuery): Promise<AbcRow[]> {
    return (await this.read(abcSql(query))).map((r) => ({
      itemId: String(r.item_id),
      unitsShipped: n(r.units_shipped),
      share: n(r.share),
      cumulativeShare: n(r.cumulative_share),
      class: r.class as AbcRow['class'],
    }));
  }

  async deadStock(query: DeadStockQuery): Promise<DeadStockRow[]> {
    return (await this.read(deadStockSql(query))).map((r) => ({
      itemId: String(r.item_id),
      onHand: n(r.on_hand),
      lastMovementAt: r.last_movement_ms == null ? null : new Date(n(r.last_movement_ms)),
      daysWithoutMovement: n(r.days_without_movement),
    }));
  }

  async *streamReport(request: ReportRequest): AsyncIterable<Record<string, string | number | null>[]> {
    const { sql, params } = reportStatement(request);
    const connection = await this.instance.connect();
    try {
      const { values, types } = bindParams(params);
      const result = await connection.stream(sql, values, types);
      for await (const rows of result.yieldRowObjectJs()) {
        yield rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v as string | number | null)])));
      }
    } finally {
      connection.closeSync();
    }
  }

  async ping(): Promise<void> {
    await this.read({ sql: 'SELECT 1 AS ok', params: {} });
  }

  async close(): Promise<void> {
    await this.writing.catch(() => {});
    this.writer.closeSync();
    this.instance.closeSync();
  }

  /** Runs `work` after every write queued before it (one writer at a time). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writing.then(work, work);
    this.writing = next.catch(() => {});
    return next;
  }

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.writer.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.writer.run('COMMIT');
      return result;
    } catch (error) {
      await this.writer.run('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  private async read(statement: Statement): Promise<Row[]> {
    const connection = await this.instance.connect();
    try {
      const { values, types } = bindParams(statement.params);
      const reader = await connection.runAndReadAll(statement.sql, values, types);
      return reader.getRowObjectsJS() as Row[];
    } finally {
      connection.closeSync();
    }
  }

  private async run(sql: string, params: Record<string, Param>): Promise<void> {
    const { values, types } = bindParams(params);
    await this.writer.run(sql, values, types);
  }

  /** The batch's new events (past each tenant's watermark), applied; then watermarks and checkpoint. */
  private async applyBatch(consumer: string, events: IngestEvent[]): Promise<IngestResult> {
    const ordered = [...new Map(events.map((e) => [e.id, e])).values()].sort(
      (a, b) => a.stream.localeCompare(b.stream) || a.tenantId.localeCompare(b.tenantId) || a.seq - b.seq,
    );
    const watermarks = await this.loadWatermarks(ordered);
    const fresh: IngestEvent[] = [];
    for (const event of ordered) {
      const key = `${event.stream}\u0000${event.tenantId}`;
      if (event.seq <= (watermarks.get(key) ?? 0)) continue;
      watermarks.set(key, event.seq);
      fresh.push(event);
    }
    if (fresh.length > 0) {
      await this.upsertItems(fresh);
      await this.insertFacts(fresh.flatMap((e) => (e.fact ? [e.fact] : [])));
      await this.upsertLevels(fresh);
      await this.saveWatermarks(watermarks);
    }
    const position = Math.max(0, ...events.map((e) => e.pos));
    const lastEventAt = fresh.length > 0 ? new Date(Math.max(...fresh.map((e) => e.occurredAt.getTime()))) : null;
    await this.writeCheckpoint(consumer, position, lastEventAt);
    return { applied: fresh.length, skipped: events.length - fresh.length };
  }

  private async loadWatermarks(events: IngestEvent[]): Promise<Map<string, number>> {
    const keys = [...new Set(events.map((e) => `${e.stream}\u0000${e.tenantId}`))];
    if (keys.length === 0) return new Map();
    const { values, types } = bindParams({ keys: column(keys, VARCHAR) });
    const reader = await this.writer.runAndReadAll(
      `SELECT stream, tenant_id, last_seq FROM ingest_watermark WHERE list_contains($keys::VARCHAR[], stream || chr(0) || tenant_id)`,
      values,
      types,
    );
    return new Map((reader.getRowObjectsJS() as Row[]).map((r) => [`${r.stream}\u0000${r.tenant_id}`, n(r.last_seq)]));
  }

  private async saveWatermarks(watermarks: Map<string, number>): Promise<void> {
    const entries = [...watermarks].map(([key, seq]) => [...key.split('\u0000'), seq] as [string, string, number]);
    await this.run(
      `INSERT INTO ingest_watermark SELECT unnest($s::VARCHAR[]), unnest($t::VARCHAR[]), unnest($q::BIGINT[])
       ON CONFLICT (stream, tenant_id) DO UPDATE SET last_seq = greatest(ingest_watermark.last_seq, excluded.last_seq)`,
      { s: column(entries.map((e) => e[0]), VARCHAR), t: column(entries.map((e) => e[1]), VARCHAR), q: column(entries.map((e) => e[2]), BIGINT) },
    );
  }

  private async writeCheckpoint(consumer: string, position: number, lastEventAt: Date | null): Promise<void> {
    await this.run(
      `INSERT INTO consumer_checkpoint VALUES ($c, $p, $at::TIMESTAMP, now()::TIMESTAMP)
       ON CONFLICT (consumer) DO UPDATE SET position = greatest(consumer_checkpoint.position, excluded.position),
         last_event_at = coalesce(greatest(consumer_checkpoint.last_event_at, excluded.last_event_at), consumer_checkpoint.last_event_at, excluded.last_event_at),
         updated_at = excluded.updated_at`,
      { c: consumer, p: position, at: lastEventAt ? iso(lastEventAt) : null },
    );
  }

  /** Catalog items (newest version wins), then placeholders for items, locations and categories only facts named. */
  private async upsertItems(events: IngestEvent[]): Promise<void> {
    const described = new Map<string, ItemDimension>();
    for (const e of events) if (e.item) described.set(`${e.item.tenantId}\u0000${e.item.itemId}`, e.item);
    const items = [...described.values()];
    if (items.length > 0) {
      await this.run(
        `INSERT INTO dim_item SELECT unnest($t::VARCHAR[]), unnest($i::VARCHAR[]), unnest($sku::VARCHAR[]), unnest($name::VARCHAR[]),
           unnest($cat::VARCHAR[]), unnest($arch::BOOLEAN[]), unnest($v::INTEGER[])
         ON CONFLICT (tenant_id, item_id) DO UPDATE SET sku = excluded.sku, name = excluded.name, category_id = excluded.category_id,
           archived = excluded.archived, version = excluded.version
         WHERE excluded.version >= dim_item.version`,
        {
          t: column(items.map((i) => i.tenantId), VARCHAR),
          i: column(items.map((i) => i.itemId), VARCHAR),
          sku: column(items.map((i) => i.sku), VARCHAR),
          name: column(items.map((i) => i.name), VARCHAR),
          cat: column(items.map((i) => i.categoryId), VARCHAR),
          arch: column(items.map((i) => i.archived), BOOLEAN),
          v: column(items.map((i) => i.version), INTEGER),
        },
      );
      const categories = dedupe(items.filter((i) => i.categoryId).map((i) => [i.tenantId, i.categoryId!]));
      if (categories.length > 0) {
        await this.run(`INSERT INTO dim_category SELECT unnest($t::VARCHAR[]), unnest($c::VARCHAR[]) ON CONFLICT DO NOTHING`, {
          t: column(categories.map((c) => c[0]), VARCHAR),
          c: column(categories.map((c) => c[1]), VARCHAR),
        });
      }
    }
    const facts = events.flatMap((e) => (e.fact ? [e.fact] : []));
    const unknownItems = dedupe(facts.map((f) => [f.tenantId, f.itemId])).filter(([t, i]) => !described.has(`${t}\u0000${i}`));
    if (unknownItems.length > 0) {
      await this.run(`INSERT INTO dim_item (tenant_id, item_id) SELECT unnest($t::VARCHAR[]), unnest($i::VARCHAR[]) ON CONFLICT DO NOTHING`, {
        t: column(unknownItems.map((x) => x[0]), VARCHAR),
        i: column(unknownItems.map((x) => x[1]), VARCHAR),
      });
    }
    const locations = dedupe(facts.map((f) => [f.tenantId, f.locationId]));
    if (locations.length > 0) {
      await this.run(`INSERT INTO dim_location SELECT unnest($t::VARCHAR[]), unnest($l::VARCHAR[]) ON CONFLICT DO NOTHING`, {
        t: column(locations.map((x) => x[0]), VARCHAR),
        l: column(locations.map((x) => x[1]), VARCHAR),
      });
    }
  }

  /** Facts, with the item's category at the time of the movement and the date dimension they point to. */
  private async insertFacts(facts: MovementFact[]): Promise<void> {
    if (facts.length === 0) return;
    await this.run(
      `INSERT INTO fact_stock_movement
       SELECT f.tenant_id, f.event_id, f.seq, f.movement_id, f.occurred_at::DATE, f.occurred_at, f.item_id, i.category_id, f.location_id,
              f.reason, f.on_hand_delta, f.reserved_delta, f.on_hand_after, f.reserved_after, f.reorder_point,
              ${RECEIVED_OF}, ${SHIPPED_OF}, ${ADJUSTED_OF}
       FROM (SELECT unnest($t::VARCHAR[]) AS tenant_id, unnest($e::VARCHAR[]) AS event_id, unnest($seq::BIGINT[]) AS seq,
                    unnest($m::VARCHAR[]) AS movement_id, unnest($at::VARCHAR[])::TIMESTAMP AS occurred_at, unnest($i::VARCHAR[]) AS item_id,
                    unnest($l::VARCHAR[]) AS location_id, unnest($r::VARCHAR[]) AS reason, unnest($d::INTEGER[]) AS on_hand_delta,
                    unnest($rd::INTEGER[]) AS reserved_delta, unnest($oa::INTEGER[]) AS on_hand_after, unnest($ra::INTEGER[]) AS reserved_after,
                    unnest($rp::INTEGER[]) AS reorder_point) f
       LEFT JOIN dim_item i ON i.tenant_id = f.tenant_id AND i.item_id = f.item_id`,
      {
        t: column(facts.map((f) => f.tenantId), VARCHAR),
        e: column(facts.map((f) => f.eventId), VARCHAR),
        seq: column(facts.map((f) => f.seq), BIGINT),
        m: column(facts.map((f) => f.movementId), VARCHAR),
        at: column(facts.map((f) => iso(f.occurredAt)), VARCHAR),
        i: column(facts.map((f) => f.itemId), VARCHAR),
        l: column(facts.map((f) => f.locationId), VARCHAR),
        r: column(facts.map((f) => f.reason), VARCHAR),
        d: column(facts.map((f) => f.onHandDelta), INTEGER),
        rd: column(facts.map((f) => f.reservedDelta), INTEGER),
        oa: column(facts.map((f) => f.onHandAfter), INTEGER),
        ra: column(facts.map((f) => f.reservedAfter), INTEGER),
        rp: column(facts.map((f) => f.reorderPoint), INTEGER),
      },
    );
    const days = [...new Set(facts.map((f) => iso(f.occurredAt).slice(0, 10)))];
    await this.run(
      `INSERT INTO dim_date
       SELECT d, year(d), quarter(d), month(d), weekofyear(d), isodow(d), date_trunc('week', d)::DATE, date_trunc('month', d)::DATE
       FROM (SELECT unnest($days::VARCHAR[])::DATE AS d) ON CONFLICT DO NOTHING`,
      { days: column(days, VARCHAR) },
    );
  }

  /** The latest level per item and location: from facts and level observations, in seq order; never moved back. */
  private async upsertLevels(events: IngestEvent[]): Promise<void> {
    const levels = new Map<string, LevelState>();
    for (const e of events) {
      const f = e.fact;
      const o = e.level;
      if (!f && !o) continue;
      const itemId = (f ?? o)!.itemId;
      const locationId = (f ?? o)!.locationId;
      const key = `${e.tenantId}\u0000${itemId}\u0000${locationId}`;
      const before = levels.get(key);
      const onHand = f ? f.onHandAfter : o!.onHand;
      levels.set(key, {
        tenantId: e.tenantId,
        itemId,
        locationId,
        onHand,
        reserved: f ? f.reservedAfter : o!.reserved,
        reorderPoint: f ? f.reorderPoint : o!.reorderPoint,
        baseline: before?.baseline ?? (f ? f.onHandAfter - f.onHandDelta : onHand),
        lastSeq: e.seq,
        lastMovementAt: f ? iso(f.occurredAt) : (before?.lastMovementAt ?? null),
      });
    }
    const rows = [...levels.values()];
    if (rows.length === 0) return;
    await this.run(
      `INSERT INTO stock_level_current
       SELECT unnest($t::VARCHAR[]), unnest($i::VARCHAR[]), unnest($l::VARCHAR[]), unnest($oh::INTEGER[]), unnest($r::INTEGER[]),
              unnest($rp::INTEGER[]), unnest($b::INTEGER[]), unnest($s::BIGINT[]), unnest($at::VARCHAR[])::TIMESTAMP
       ON CONFLICT (tenant_id, item_id, location_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved,
         reorder_point = excluded.reorder_point, last_seq = excluded.last_seq,
         last_movement_at = coalesce(excluded.last_movement_at, stock_level_current.last_movement_at)
       WHERE excluded.last_seq > stock_level_current.last_seq`,
      {
        t: column(rows.map((r) => r.tenantId), VARCHAR),
        i: column(rows.map((r) => r.itemId), VARCHAR),
        l: column(rows.map((r) => r.locationId), VARCHAR),
        oh: column(rows.map((r) => r.onHand), INTEGER),
        r: column(rows.map((r) => r.reserved), INTEGER),
        rp: column(rows.map((r) => r.reorderPoint), INTEGER),
        b: column(rows.map((r) => r.baseline), INTEGER),
        s: column(rows.map((r) => r.lastSeq), BIGINT),
        at: column(rows.map((r) => r.lastMovementAt), VARCHAR),
      },
    );
  }
}

function dedupe(pairs: string[][]): [string, string][] {
  return [...new Map(pairs.map((p) => [p.join('\u0000'), p as [string, string]])).values()];
}
