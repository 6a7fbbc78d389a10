// Rows of a BigQuery result (REST `f`/`v` cells, all text) as the same plain JS values the DuckDB
// warehouse returns: INT64 → number (text beyond 2^53), DATE → 'YYYY-MM-DD', TIMESTAMP → ISO text,
// NUMERIC → number, BOOL → boolean, arrays → arrays. Parsed here, not by the client library, so that
// both engines' rows compare equal.
import type { Row } from '../warehouse.js';

export interface SchemaField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly SchemaField[];
}

interface Cell {
  readonly v?: unknown;
}

function integer(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** TIMESTAMP cells are int64 microseconds since the epoch (formatOptions.useInt64Timestamp). */
function timestamp(text: string): string {
  if (/^-?\d+$/.test(text)) {
    const micros = BigInt(text);
    return new Date(Number(micros / 1000n)).toISOString();
  }
  const seconds = Number(text);
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : new Date(text).toISOString();
}

function scalar(field: SchemaField, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (field.type === 'RECORD' || field.type === 'STRUCT') return record(field.fields ?? [], v as { f?: readonly Cell[] });
  const text = String(v);
  switch (field.type) {
    case 'INTEGER':
    case 'INT64':
      return integer(text);
    case 'FLOAT':
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return Number(text);
    case 'BOOLEAN':
    case 'BOOL':
      return text.toLowerCase() === 'true';
    case 'TIMESTAMP':
      return timestamp(text);
    default:
      return text; // STRING, DATE, DATETIME, TIME, JSON (as text, like DuckDB)
  }
}

function record(fields: readonly SchemaField[], value: { f?: readonly Cell[] }): Row {
  const row: Row = {};
  fields.forEach((field, i) => {
    const v = value.f?.[i]?.v;
    row[field.name] = field.mode === 'REPEATED' ? ((v as readonly Cell[] | null) ?? []).map((e) => scalar(field, e.v)) : scalar(field, v);
  });
  return row;
}

export function parseRows(fields: readonly SchemaField[], rows: readonly { f?: readonly Cell[] }[]): Row[] {
  return rows.map((r) => record(fields, r));
}
