// A query read by column (Warehouse.queryColumns), also from a warehouse that only reads rows.
import type { ColumnarResult, QueryOptions, Row, SqlParams, Warehouse } from './warehouse.js';

/** The rows of `query` by column, in the order of the first row's keys (no rows: no columns). */
export function rowsToColumns(rows: readonly Row[]): ColumnarResult {
  const names = rows.length > 0 ? Object.keys(rows[0] as Row) : [];
  return { names, columns: names.map((name) => rows.map((r) => r[name])), rows: rows.length };
}

/** `wh.queryColumns` where the warehouse has it (DuckDB: no object per row), else `wh.query` turned into columns. */
export async function queryColumns(wh: Warehouse, sql: string, params?: SqlParams, options?: QueryOptions): Promise<ColumnarResult> {
  return wh.queryColumns ? wh.queryColumns(sql, params, options) : rowsToColumns(await wh.query(sql, params, options));
}

/** The values of one named column; a column the result lacks is an error (no rows: no columns, and none is needed). */
export function columnOf(result: ColumnarResult, name: string): ArrayLike<unknown> {
  const i = result.names.indexOf(name);
  if (i >= 0) return result.columns[i] as ArrayLike<unknown>;
  if (result.rows === 0) return [];
  throw new Error(`the query result has no column '${name}' (columns: ${result.names.join(', ')})`);
}
