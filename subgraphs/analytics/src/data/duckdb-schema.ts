/**
 * The star schema. Facts: one row per stock movement (the ledger's grain). Dimensions: date, item
 * (with its current category: reports filter by what an item is now, so onHand lines add up after a
 * re-categorisation), category, location. `stock_level_current` is a snapshot kept beside the facts
 * (latest level per item and location) so "now" reports never scan history.
 * Times are UTC `TIMESTAMP`s (no time-zone extension needed); buckets are UTC.
 */
export const DUCKDB_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS dim_date (
     date_key DATE PRIMARY KEY, year SMALLINT NOT NULL, quarter TINYINT NOT NULL, month TINYINT NOT NULL,
     iso_week TINYINT NOT NULL, day_of_week TINYINT NOT NULL, week_start DATE NOT NULL, month_start DATE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS dim_item (
     tenant_id VARCHAR NOT NULL, item_id VARCHAR NOT NULL, sku VARCHAR, name VARCHAR, category_id VARCHAR,
     archived BOOLEAN NOT NULL DEFAULT false, version INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, item_id))`,
  `CREATE TABLE IF NOT EXISTS dim_category (tenant_id VARCHAR NOT NULL, category_id VARCHAR NOT NULL, PRIMARY KEY (tenant_id, category_id))`,
  `CREATE TABLE IF NOT EXISTS dim_location (tenant_id VARCHAR NOT NULL, location_id VARCHAR NOT NULL, PRIMARY KEY (tenant_id, location_id))`,
  `CREATE TABLE IF NOT EXISTS fact_stock_movement (
     tenant_id VARCHAR NOT NULL,
     event_id VARCHAR NOT NULL,
     seq BIGINT NOT NULL,
     movement_id VARCHAR,
     date_key DATE NOT NULL,
     occurred_at TIMESTAMP NOT NULL,
     item_id VARCHAR NOT NULL,
     category_id VARCHAR,
     location_id VARCHAR NOT NULL,
     reason VARCHAR NOT NULL,
     on_hand_delta INTEGER NOT NULL,
     reserved_delta INTEGER NOT NULL,
     on_hand_after INTEGER NOT NULL,
     reserved_after INTEGER NOT NULL,
     reorder_point INTEGER,
     -- Additive measures, split at ingest so reports sum plain columns: received - shipped + adjusted = on_hand_delta.
     received INTEGER NOT NULL,
     shipped INTEGER NOT NULL,
     adjusted INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS stock_level_current (
     tenant_id VARCHAR NOT NULL, item_id VARCHAR NOT NULL, location_id VARCHAR NOT NULL,
     on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL, reorder_point INTEGER,
     -- onHand before the first movement this store saw (0 when the log reached back to the level's creation)
     baseline_on_hand INTEGER NOT NULL DEFAULT 0,
     last_seq BIGINT NOT NULL, last_movement_at TIMESTAMP,
     PRIMARY KEY (tenant_id, item_id, location_id))`,
  `CREATE TABLE IF NOT EXISTS ingest_watermark (stream VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL, last_seq BIGINT NOT NULL, PRIMARY KEY (stream, tenant_id))`,
  `CREATE TABLE IF NOT EXISTS consumer_checkpoint (consumer VARCHAR PRIMARY KEY, position BIGINT NOT NULL, last_event_at TIMESTAMP, updated_at TIMESTAMP NOT NULL)`,
];

/** Tables `reset` empties (the schema stays). */
export const DUCKDB_TABLES = ['fact_stock_movement', 'stock_level_current', 'dim_item', 'dim_category', 'dim_location', 'dim_date', 'ingest_watermark', 'consumer_checkpoint'];
