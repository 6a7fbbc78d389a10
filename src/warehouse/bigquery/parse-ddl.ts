// Reads our DDL (DuckDB dialect, as in */schema.ts and each processor's definition) into plain
// values: schemas, tables with typed columns, added columns, views, and whatever else it holds.
// The BigQuery renderer, the ZetaSQL catalog and the fake server all start from these values.
import { splitStatements, splitTopLevel, sqlSegments } from './sql-segments.js';

/** A column type in BigQuery's terms. */
export interface ColumnType {
  readonly base: 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'JSON' | 'NUMERIC' | 'BIGNUMERIC';
  /** NUMERIC(p, s) as declared. */
  readonly precision?: number;
  readonly scale?: number;
  readonly array: boolean;
}

export interface ColumnDef {
  readonly name: string;
  /** The type as written in our DDL, e.g. `VARCHAR[]`, `DECIMAL(18, 6)`. */
  readonly sourceType: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly defaultSql?: string;
}

export interface TableDef {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey: readonly string[];
}

export type DdlStatement =
  | { readonly kind: 'schema'; readonly schema: string; readonly sql: string }
  | { readonly kind: 'table'; readonly table: TableDef; readonly sql: string }
  | { readonly kind: 'add_column'; readonly schema: string; readonly table: string; readonly column: ColumnDef; readonly sql: string }
  | { readonly kind: 'view'; readonly schema: string; readonly name: string; readonly body: string; readonly sql: string }
  | { readonly kind: 'other'; readonly sql: string };

export class DdlError extends Error {}

const SCALARS: Readonly<Record<string, ColumnType['base']>> = {
  VARCHAR: 'STRING', TEXT: 'STRING', STRING: 'STRING', CHAR: 'STRING', BPCHAR: 'STRING',
  BIGINT: 'INT64', INT8: 'INT64', INT64: 'INT64', INTEGER: 'INT64', INT: 'INT64', INT4: 'INT64', SMALLINT: 'INT64', INT2: 'INT64', TINYINT: 'INT64',
  DOUBLE: 'FLOAT64', FLOAT8: 'FLOAT64', FLOAT: 'FLOAT64', REAL: 'FLOAT64', FLOAT4: 'FLOAT64', FLOAT64: 'FLOAT64',
  BOOLEAN: 'BOOL', BOOL: 'BOOL',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP', TIMESTAMPTZ: 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
  JSON: 'JSON',
};

/** DuckDB type text → BigQuery type; DECIMAL without (p, s) is DuckDB's DECIMAL(18, 3). */
export function columnType(source: string): ColumnType {
  let text = source.trim().toUpperCase().replace(/\s+/g, ' ');
  let array = false;
  if (text.endsWith('[]')) {
    array = true;
    text = text.slice(0, -2).trim();
    if (text.endsWith('[]')) throw new DdlError(`nested list type ${source} has no BigQuery column form`);
  }
  const dec = /^(?:DECIMAL|NUMERIC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(text);
  if (dec) {
    const precision = dec[1] ? Number(dec[1]) : 18;
    const scale = dec[2] ? Number(dec[2]) : dec[1] ? 0 : 3;
    // NUMERIC holds 29 integer and 9 fractional digits; beyond that BigQuery needs BIGNUMERIC.
    const base = precision - scale > 29 || scale > 9 ? 'BIGNUMERIC' : 'NUMERIC';
    return { base, precision, scale, array };
  }
  const base = SCALARS[text];
  if (!base) throw new DdlError(`type ${source} has no BigQuery mapping (supported: VARCHAR, BIGINT, INTEGER, DOUBLE, BOOLEAN, DATE, TIMESTAMP, JSON, DECIMAL(p, s) and lists of them)`);
  return { base, array };
}

/** Removes comments (code and strings kept). */
function stripComments(sql: string): string {
  return sqlSegments(sql, 'duckdb')
    .filter((s) => s.kind !== 'comment')
    .map((s) => s.text)
    .join('')
    .trim();
}

const CONSTRAINT_START = /\s+(?=(NOT\s+NULL|NULL|PRIMARY\s+KEY|DEFAULT|UNIQUE|CHECK|REFERENCES)\b)/i;

function parseColumn(element: string, where: string): { column: ColumnDef; primaryKey: boolean } {
  const m = /^("?)([A-Za-z_][A-Za-z0-9_]*)\1\s+([\s\S]+)$/.exec(element.trim());
  if (!m) throw new DdlError(`${where}: cannot read column definition '${element}'`);
  const name = m[2] as string;
  const rest = m[3] as string;
  const cut = rest.search(CONSTRAINT_START);
  const sourceType = (cut < 0 ? rest : rest.slice(0, cut)).trim();
  const constraints = cut < 0 ? '' : rest.slice(cut).trim();
  let type: ColumnType;
  try {
    type = columnType(sourceType);
  } catch (err) {
    throw new DdlError(`${where}, column ${name}: ${(err as Error).message}`);
  }
  const def = /\bDEFAULT\s+(.+?)(?=\s+(?:NOT\s+NULL|NULL|PRIMARY\s+KEY|UNIQUE|CHECK|REFERENCES)\b|$)/i.exec(constraints);
  const column: ColumnDef = {
    name,
    sourceType,
    type,
    notNull: /\bNOT\s+NULL\b/i.test(constraints) || /\bPRIMARY\s+KEY\b/i.test(constraints),
    ...(def ? { defaultSql: (def[1] as string).trim() } : {}),
  };
  return { column, primaryKey: /\bPRIMARY\s+KEY\b/i.test(constraints) };
}

function parseStatement(raw: string): DdlStatement {
  const sql = stripComments(raw);
  let m = /^CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)$/i.exec(sql);
  if (m) return { kind: 'schema', schema: (m[1] as string).toLowerCase(), sql };
  m = /^CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)$/i.exec(sql);
  if (m) {
    const schema = (m[1] as string).toLowerCase();
    const name = m[2] as string;
    const where = `table ${schema}.${name}`;
    const columns: ColumnDef[] = [];
    let primaryKey: string[] = [];
    for (const element of splitTopLevel(m[3] as string, 'duckdb', { dropEmptyLast: true })) {
      const pk = /^PRIMARY\s+KEY\s*\(([^)]*)\)$/i.exec(element);
      if (pk) primaryKey = (pk[1] as string).split(',').map((c) => c.trim());
      else if (/^(UNIQUE|CHECK|FOREIGN\s+KEY|CONSTRAINT)\b/i.test(element)) continue; // not enforced on BigQuery either
      else {
        const parsed = parseColumn(element, where);
        columns.push(parsed.column);
        if (parsed.primaryKey) primaryKey = [parsed.column.name];
      }
    }
    return { kind: 'table', table: { schema, name, columns, primaryKey }, sql };
  }
  m = /^ALTER\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s+ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?([\s\S]+)$/i.exec(sql);
  if (m) {
    const schema = (m[1] as string).toLowerCase();
    const table = m[2] as string;
    return { kind: 'add_column', schema, table, column: parseColumn(m[3] as string, `ALTER TABLE ${schema}.${table}`).column, sql };
  }
  m = /^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+([\s\S]+)$/i.exec(sql);
  if (m) return { kind: 'view', schema: (m[1] as string).toLowerCase(), name: m[2] as string, body: m[3] as string, sql };
  return { kind: 'other', sql };
}

/** Every statement of a DDL text, in order. */
export function parseDdl(ddl: string): DdlStatement[] {
  return splitStatements(ddl, 'duckdb').map(parseStatement);
}

/** The tables a DDL text creates (ADD COLUMN statements folded in), keyed `schema.table`. */
export function tablesOf(ddl: string): Map<string, TableDef> {
  const tables = new Map<string, TableDef>();
  for (const s of parseDdl(ddl)) {
    if (s.kind === 'table') tables.set(`${s.table.schema}.${s.table.name}`, s.table);
    if (s.kind === 'add_column') {
      const key = `${s.schema}.${s.table}`;
      const t = tables.get(key);
      if (t && !t.columns.some((c) => c.name === s.column.name)) tables.set(key, { ...t, columns: [...t.columns, { ...s.column, notNull: false }] });
    }
  }
  return tables;
}
