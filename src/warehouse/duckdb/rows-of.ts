// A DuckDB result as plain JS rows: BIGINT as a number (a string past 2^53), DATE as 'YYYY-MM-DD',
// TIMESTAMP as an ISO string, lists and structs converted through. The values are node-api's own
// JS conversion (JSDuckDBValueConverter) passed through plain(); only the way there is quicker than
// reader.getRowsJS(): column by column, scalars taken as node-api's vectors return them (the
// converter only re-wraps those: Number(n), String(s), Boolean(b), the bigint itself), and each
// distinct DATE or TIMESTAMP converted once per column. A no-op season backfill converts ~25,000
// values (its dependency checks and partition statuses); row by row that took 25-30 ms of a cold
// process, about a third of it this way.
import type { DuckDBDataChunk, DuckDBType } from '@duckdb/node-api';
import type { Row } from '../warehouse.js';
import { duckdb } from './node-api.js';

export function plain(value: unknown, isDate: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return isDate ? value.toISOString().slice(0, 10) : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => plain(v, false));
  if (typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = plain(v, false);
    return o;
  }
  return value;
}

const T = duckdb.DuckDBTypeId;
/** Types whose vectors already return the JS value the converter would (a number, string, boolean or bigint). */
const SCALARS: ReadonlySet<number> = new Set([T.BOOLEAN, T.TINYINT, T.SMALLINT, T.INTEGER, T.BIGINT, T.UTINYINT, T.USMALLINT, T.UINTEGER, T.UBIGINT, T.HUGEINT, T.UHUGEINT, T.FLOAT, T.DOUBLE, T.VARCHAR]);
/** Types whose values repeat (a run's dates, its processed_at): converted once per distinct value. */
const REPEATED: ReadonlySet<number> = new Set([T.DATE, T.TIMESTAMP, T.TIMESTAMP_TZ]);

function converted(value: unknown, type: DuckDBType, isDate: boolean): unknown {
  return plain(duckdb.JSDuckDBValueConverter(value as never, type, duckdb.JSDuckDBValueConverter), isDate);
}

/** The key a DATE (days) or TIMESTAMP (micros) value is cached by. */
function repeatKey(value: unknown): number | bigint | undefined {
  const v = value as { days?: number; micros?: bigint };
  return v.days ?? v.micros;
}

export function rowsOfChunks<T extends Row>(names: readonly string[], types: readonly DuckDBType[], chunks: readonly DuckDBDataChunk[]): T[] {
  const count = chunks.reduce((n, chunk) => n + chunk.rowCount, 0);
  const rows: Row[] = Array.from({ length: count }, () => ({}));
  names.forEach((name, c) => {
    const type = types[c] as DuckDBType;
    const isDate = type.typeId === T.DATE;
    const scalar = SCALARS.has(type.typeId);
    const seen = REPEATED.has(type.typeId) ? new Map<number | bigint, unknown>() : undefined;
    let k = 0;
    for (const chunk of chunks) {
      const vector = chunk.getColumnVector(c);
      for (let i = 0; i < vector.itemCount; i++) {
        const v = vector.getItem(i);
        let out: unknown;
        if (v === null) out = null;
        else if (scalar) out = typeof v === 'bigint' ? plain(v, false) : v;
        else if (seen) {
          const key = repeatKey(v);
          out = key === undefined ? converted(v, type, isDate) : seen.get(key);
          if (out === undefined) {
            out = converted(v, type, isDate);
            if (key !== undefined) seen.set(key, out);
          }
        } else out = converted(v, type, isDate);
        (rows[k++] as Row)[name] = out;
      }
    }
  });
  return rows as T[];
}
