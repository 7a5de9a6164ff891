import type pg from 'pg';
import type { Checkpoint } from './run-consumer.ts';

/** A checkpoint in memory (tests, and consumers that rebuild on every start). */
export function memoryCheckpoint(initial = 0): Checkpoint & { value(): number } {
  let position = initial;
  return {
    value: () => position,
    load: async () => position,
    save: async (next) => {
      position = next;
    },
  };
}

/**
 * A checkpoint row in the consumer's own PostgreSQL schema (table `event_consumers`, created on
 * first use). Prefer saving inside the transaction that applies the batch when the data lives there too.
 */
export function pgCheckpoint({ pool, schema, name, stream }: { pool: pg.Pool; schema: string; name: string; stream: string }): Checkpoint {
  let ready: Promise<unknown> | null = null;
  const ensure = () =>
    (ready ??= pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE TABLE IF NOT EXISTS "${schema}".event_consumers (
        name text NOT NULL, stream text NOT NULL, position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (name, stream))`));
  return {
    async load() {
      await ensure();
      const { rows } = await pool.query<{ position: string }>(`SELECT position FROM "${schema}".event_consumers WHERE name = $1 AND stream = $2`, [name, stream]);
      return Number(rows[0]?.position ?? 0);
    },
    async save(position) {
      await ensure();
      await pool.query(
        `INSERT INTO "${schema}".event_consumers (name, stream, position) VALUES ($1, $2, $3)
         ON CONFLICT (name, stream) DO UPDATE SET position = greatest(event_consumers.position, excluded.position), updated_at = now()`,
        [name, stream, position],
      );
    },
  };
}
