import { LIST, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/** A list parameter with its element type: DuckDB infers a list's type from its first item, so a leading null would null them all. */
export interface Column {
  list: readonly DuckDBValue[];
  type: DuckDBType;
}

export type Param = DuckDBValue | Column;

/** A list parameter of `type` (VARCHAR, INTEGER, ...), bound as LIST(type). */
export const column = (list: readonly DuckDBValue[], type: DuckDBType): Column => ({ list, type });

const isColumn = (p: Param): p is Column => typeof p === 'object' && p !== null && 'list' in p && 'type' in p;

/** Named parameters split into the values and the explicit types `connection.run` takes. */
export function bindParams(params: Record<string, Param>): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType | undefined> } {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType | undefined> = {};
  for (const [name, p] of Object.entries(params)) {
    if (isColumn(p)) {
      values[name] = listValue(p.list);
      types[name] = LIST(p.type);
    } else values[name] = p;
  }
  return { values, types };
}
