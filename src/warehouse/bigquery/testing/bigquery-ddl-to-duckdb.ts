// The fake runs the DDL our renderer emits on DuckDB: BigQuery types back to DuckDB's, PARTITION BY /
// CLUSTER BY / OPTIONS kept as table metadata only, and primary keys dropped because BigQuery does
// not enforce them (DuckDB would, and reject rows BigQuery accepts). Only this renderer's subset.
import { splitTopLevel, sqlSegments } from '../sql-segments.js';

export interface FakeTableLayout {
  readonly partitionBy?: string;
  readonly clusterBy?: readonly string[];
}

export function duckdbType(bigQueryType: string): string {
  const t = bigQueryType.trim().toUpperCase().replace(/\s+/g, ' ');
  const array = /^ARRAY\s*<(.+)>$/.exec(t);
  if (array) return `${duckdbType(array[1] as string)}[]`;
  const num = /^(BIG)?NUMERIC\s*(\(.*\))?$/.exec(t);
  if (num) {
    if (!num[2]) return num[1] ? 'DECIMAL(38, 9)' : 'DECIMAL(38, 9)';
    const [p, s] = (num[2] as string).slice(1, -1).split(',').map((x) => Number(x.trim()));
    return `DECIMAL(${Math.min(p ?? 38, 38)}, ${s ?? 0})`;
  }
  const map: Record<string, string> = { STRING: 'VARCHAR', INT64: 'BIGINT', FLOAT64: 'DOUBLE', BOOL: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP', DATETIME: 'TIMESTAMP', JSON: 'JSON', BYTES: 'BLOB' };
  const out = map[t];
  if (out) return out;
  // DuckDB's own type names pass through: the fake is lenient about dialect (it runs on DuckDB);
  // whether a text is valid BigQuery is the ZetaSQL harness's question, not the fake's.
  if (/^(VARCHAR|TEXT|BIGINT|INTEGER|INT|SMALLINT|DOUBLE|REAL|FLOAT|BOOLEAN|DECIMAL(\s*\(.*\))?|TIMESTAMPTZ|HUGEINT)(\[\])*$/.test(t)) return t;
  throw new Error(`fake BigQuery: column type ${bigQueryType} is not supported`);
}

function columnToDuckdb(element: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(ARRAY\s*<.+?>|[A-Za-z0-9_]+(?:\s*\([^)]*\))?)([\s\S]*)$/i.exec(element.trim());
  if (!m) throw new Error(`fake BigQuery: cannot read column '${element}'`);
  return `${m[1]} ${duckdbType(m[2] as string)}${m[3] ?? ''}`;
}

/** `CREATE TABLE … ( … ) PARTITION BY … CLUSTER BY …` → DuckDB DDL plus the layout; undefined if not a CREATE TABLE. */
export function createTableToDuckdb(sql: string): { sql: string; table: string; layout: FakeTableLayout } | undefined {
  const m = /^CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z0-9_.`]+)\s*\(([\s\S]*)\)\s*((?:PARTITION|CLUSTER|OPTIONS)[\s\S]*)?$/i.exec(sql.trim());
  if (!m) return undefined;
  const elements = splitTopLevel(m[5] as string, 'bigquery', { angle: true, dropEmptyLast: true }).filter((e) => !/^PRIMARY\s+KEY\b/i.test(e) && !/^(CONSTRAINT|FOREIGN)\b/i.test(e));
  const tail = m[6] ?? '';
  const partition = /PARTITION\s+BY\s+(?:DATE\s*\(\s*)?([A-Za-z_][A-Za-z0-9_]*)/i.exec(tail);
  const cluster = /CLUSTER\s+BY\s+([A-Za-z0-9_,\s]+?)(?=\s+OPTIONS\b|$)/i.exec(tail);
  const head = `CREATE ${m[1] ?? ''}${m[2] ?? ''}TABLE ${m[3] ?? ''}${m[4]}`.replace(/\s+/g, ' ');
  return {
    sql: `${head} (\n  ${elements.map(columnToDuckdb).join(',\n  ')}\n)`,
    table: (m[4] as string).replace(/`/g, ''),
    layout: {
      ...(partition ? { partitionBy: partition[1] as string } : {}),
      ...(cluster ? { clusterBy: (cluster[1] as string).split(',').map((c) => c.trim()) } : {}),
    },
  };
}

/** `ALTER TABLE t ADD COLUMN [IF NOT EXISTS] c TYPE` with the type made DuckDB's. */
export function alterTableToDuckdb(sql: string): string | undefined {
  const m = /^(ALTER\s+TABLE\s+\S+\s+ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?)([\s\S]+)$/i.exec(sql.trim());
  return m ? `${m[1]}${columnToDuckdb(m[2] as string)}` : undefined;
}
