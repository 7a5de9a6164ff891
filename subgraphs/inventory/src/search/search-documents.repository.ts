import type { Pool } from '@stockline/db';

/** One item as the Elasticsearch index holds it: catalog fields and, per location, its stock state. */
export interface SearchDocument {
  itemId: string;
  tenantId: string;
  sku: string;
  name: string;
  description: string | null;
  categoryId: string | null;
  archived: boolean;
  /** Locations holding a level of the item. */
  locationIds: string[];
  /** Locations where available (onHand − reserved) > 0. */
  inStockLocations: string[];
  /** Locations where available < reorderPoint. */
  lowStockLocations: string[];
  updatedAt: string;
}

const DOCUMENTS = `
  SELECT i.id AS "itemId", i.tenant_id AS "tenantId", i.sku, i.name, i.description, i.category_id AS "categoryId",
         i.archived_at IS NOT NULL AS archived, i.updated_at AS "updatedAt",
         coalesce(array_agg(s.location_id::text ORDER BY s.location_id) FILTER (WHERE s.location_id IS NOT NULL), '{}') AS "locationIds",
         coalesce(array_agg(s.location_id::text ORDER BY s.location_id) FILTER (WHERE s.on_hand - s.reserved > 0), '{}') AS "inStockLocations",
         coalesce(array_agg(s.location_id::text ORDER BY s.location_id)
           FILTER (WHERE s.reorder_point IS NOT NULL AND s.on_hand - s.reserved < s.reorder_point), '{}') AS "lowStockLocations"
  FROM inventory.items i
  LEFT JOIN inventory.stock_levels s ON s.tenant_id = i.tenant_id AND s.item_id = i.id`;

// Lexicon words: runs of letters, 3 to 40 long, of names and descriptions (codes and numbers are
// matched as typed, never corrected). Sorted so concurrent writers take row locks in one order.
const WORDS = `
  SELECT DISTINCT i.tenant_id, w.word
  FROM inventory.items i, regexp_split_to_table(lower(i.name || ' ' || coalesce(i.description, '')), '[^[:alpha:]]+') AS w(word)
  WHERE length(w.word) BETWEEN 3 AND 40`;

/** What search reads from and writes to PostgreSQL besides the query itself (documents, lexicon, checkpoints). */
export class SearchDocumentsRepository {
  constructor(private readonly pool: Pool) {}

  /** The current documents of these items (any tenant: the indexer serves the whole stream). */
  async findByItemIds(itemIds: string[]): Promise<SearchDocument[]> {
    if (itemIds.length === 0) return [];
    const { rows } = await this.pool.query<SearchDocument & { updatedAt: Date }>(`${DOCUMENTS} WHERE i.id = ANY($1::uuid[]) GROUP BY i.id`, [itemIds]);
    return rows.map(withIsoDate);
  }

  /** A page of every tenant's documents in id order, for a full reindex. */
  async scan({ afterId, limit }: { afterId: string | null; limit: number }): Promise<SearchDocument[]> {
    const { rows } = await this.pool.query<SearchDocument & { updatedAt: Date }>(
      `${DOCUMENTS} WHERE ($1::uuid IS NULL OR i.id > $1::uuid) GROUP BY i.id ORDER BY i.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(withIsoDate);
  }

  /** Adds the words of these items to their tenants' lexicons and advances `checkpoint` to `position`, in one transaction. */
  async addWords({ itemIds, checkpoint, position }: { itemIds: string[]; checkpoint: string; position: number }): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (itemIds.length) {
        await client.query(`INSERT INTO inventory.search_lexicon (tenant_id, word) ${WORDS} AND i.id = ANY($1::uuid[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING`, [itemIds]);
      }
      await this.saveCheckpoint(checkpoint, position, client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Rebuilds every lexicon from the items (drops words no item uses any more). */
  async rebuildLexicon(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM inventory.search_lexicon');
      const { rowCount } = await client.query(`INSERT INTO inventory.search_lexicon (tenant_id, word) ${WORDS} ORDER BY 1, 2`);
      await client.query('COMMIT');
      return rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async loadCheckpoint(name: string): Promise<number> {
    const { rows } = await this.pool.query<{ pos: number }>('SELECT pos FROM inventory.search_checkpoints WHERE name = $1', [name]);
    return Number(rows[0]?.pos ?? 0);
  }

  /** Moves a checkpoint forward only (a late save of an older position is ignored). */
  async saveCheckpoint(name: string, position: number, client: Pick<Pool, 'query'> = this.pool): Promise<void> {
    await client.query(
      `INSERT INTO inventory.search_checkpoints (name, pos, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET pos = greatest(search_checkpoints.pos, excluded.pos), updated_at = now()`,
      [name, position],
    );
  }

  /** Sets a checkpoint back (after a full reindex, to replay what happened while it ran). */
  async rewindCheckpoint(name: string, position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO inventory.search_checkpoints (name, pos, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET pos = excluded.pos, updated_at = now()`,
      [name, position],
    );
  }

  /** The stream's newest position (events numbered so far). */
  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ pos: number }>('SELECT last_pos AS pos FROM inventory.stream_state');
    return Number(rows[0]?.pos ?? 0);
  }
}

function withIsoDate(row: SearchDocument & { updatedAt: Date | string }): SearchDocument {
  return { ...row, updatedAt: new Date(row.updatedAt).toISOString() };
}
