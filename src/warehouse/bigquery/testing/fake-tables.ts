// tables.insert and tables.get of the fake server: a REST table resource → a DuckDB table (its
// partitioning and clustering kept as metadata), and a DuckDB table → its REST resource.
import type { DuckDBInstance } from '@duckdb/node-api';
import { duckdbType, type FakeTableLayout } from './bigquery-ddl-to-duckdb.js';

interface RestField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
}

/** Legacy REST type names (the client library's) → GoogleSQL names. */
const LEGACY: Readonly<Record<string, string>> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

/** DuckDB column type → REST field (type, mode). */
function restField(name: string, duckType: string, nullable: boolean): RestField {
  const array = duckType.endsWith('[]');
  const base = (array ? duckType.slice(0, -2) : duckType).toUpperCase();
  const type = /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT)$/.test(base) ? 'INTEGER'
    : /^(DOUBLE|FLOAT|REAL)$/.test(base) ? 'FLOAT'
    : base.startsWith('DECIMAL') ? 'NUMERIC'
    : base === 'BOOLEAN' ? 'BOOLEAN'
    : base === 'DATE' ? 'DATE'
    : base.startsWith('TIMESTAMP') ? 'TIMESTAMP'
    : base === 'JSON' ? 'JSON'
    : 'STRING';
  return { name, type, mode: array ? 'REPEATED' : nullable ? 'NULLABLE' : 'REQUIRED' };
}

export interface TableResourceError {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
}

/** Creates `schema.tableId` from a REST table resource; returns its layout, or an error to send. */
export async function createTableFromResource(db: DuckDBInstance, schema: string, body: Record<string, unknown>): Promise<{ table: string; layout: FakeTableLayout } | TableResourceError> {
  const tableId = (body['tableReference'] as { tableId?: string } | undefined)?.tableId;
  const fields = (body['schema'] as { fields?: RestField[] } | undefined)?.fields ?? [];
  if (!tableId || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tableId) || fields.length === 0) return { status: 400, reason: 'invalid', message: 'tableReference.tableId and schema.fields are required' };
  const columns = fields.map((f) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) throw new Error(`invalid field name ${f.name}`);
    const t = duckdbType(LEGACY[f.type] ?? f.type);
    return `${f.name} ${f.mode === 'REPEATED' ? `${t}[]` : t}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`;
  });
  const c = await db.connect();
  try {
    await c.run(`CREATE TABLE ${schema}.${tableId} (${columns.join(', ')})`);
  } catch (err) {
    return { status: 409, reason: 'duplicate', message: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) };
  } finally {
    c.closeSync();
  }
  const partition = (body['timePartitioning'] as { field?: string } | undefined)?.field;
  const cluster = (body['clustering'] as { fields?: string[] } | undefined)?.fields;
  return { table: `${schema}.${tableId}`, layout: { ...(partition ? { partitionBy: partition } : {}), ...(cluster ? { clusterBy: cluster } : {}) } };
}

/** The REST resource of `schema.tableId`, or undefined when there is no such table. */
export async function describeTable(db: DuckDBInstance, schema: string, tableId: string, layout: FakeTableLayout | undefined): Promise<Record<string, unknown> | undefined> {
  const c = await db.connect();
  try {
    const reader = await c.runAndReadAll(`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $s AND table_name = $t ORDER BY ordinal_position`, { s: schema, t: tableId });
    const rows = reader.getRowsJS();
    if (rows.length === 0) return undefined;
    return {
      schema: { fields: rows.map(([name, type, nullable]) => restField(String(name), String(type), nullable !== 'NO')) },
      ...(layout?.partitionBy ? { timePartitioning: { type: 'DAY', field: layout.partitionBy } } : {}),
      ...(layout?.clusterBy ? { clustering: { fields: layout.clusterBy } } : {}),
    };
  } finally {
    c.closeSync();
  }
}
