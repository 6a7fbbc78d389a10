// Renders our DDL for BigQuery: DuckDB types become BigQuery's (VARCHAR → STRING, BIGINT/INTEGER →
// INT64, DOUBLE → FLOAT64, BOOLEAN → BOOL, DECIMAL(p, s) → NUMERIC(p, s), T[] → ARRAY<T>), primary
// keys become NOT ENFORCED, and each table gets PARTITION BY / CLUSTER BY from its layout. Schemas
// become datasets (created through the API, not in the script). What has no BigQuery form (DuckDB
// macros, …) is listed as unsupported, never silently dropped.
import type { TableLayout, TableLayouts } from '../warehouse.js';
import type { DatasetNames } from './dataset-names.js';
import { parseDdl, type ColumnDef, type ColumnType, type TableDef } from './parse-ddl.js';
import { toBigQuerySql } from './rewrite-sql.js';

export interface RenderedDdl {
  /** Datasets to create if missing (already prefixed). */
  readonly datasets: readonly string[];
  /** BigQuery DDL statements, without trailing ';'. */
  readonly statements: readonly string[];
  readonly unsupported: readonly { readonly sql: string; readonly reason: string }[];
}

export function bigQueryType(t: ColumnType): string {
  const scalar = t.base === 'NUMERIC' || t.base === 'BIGNUMERIC' ? `${t.base}(${t.precision ?? 38}, ${t.scale ?? 9})` : t.base;
  return t.array ? `ARRAY<${scalar}>` : scalar;
}

function columnSql(c: ColumnDef, allowNotNull: boolean): string {
  // BigQuery arrays are REPEATED fields: never NULL (an absent list is empty) and never NOT NULL.
  const notNull = c.notNull && allowNotNull && !c.type.array ? ' NOT NULL' : '';
  const def = c.defaultSql !== undefined ? ` DEFAULT ${c.defaultSql}` : '';
  return `${c.name} ${bigQueryType(c.type)}${def}${notNull}`;
}

function checkLayout(t: TableDef, layout: TableLayout): string[] {
  const out: string[] = [];
  const find = (name: string, role: string): ColumnDef => {
    const c = t.columns.find((x) => x.name === name);
    if (!c) throw new Error(`${role} column ${name} is not a column of ${t.schema}.${t.name}`);
    return c;
  };
  if (layout.partitionBy) {
    const c = find(layout.partitionBy, 'partition');
    if (c.type.array || (c.type.base !== 'DATE' && c.type.base !== 'TIMESTAMP')) throw new Error(`partition column ${t.schema}.${t.name}.${c.name} must be DATE or TIMESTAMP, not ${c.sourceType}`);
    out.push(`PARTITION BY ${c.type.base === 'DATE' ? c.name : `DATE(${c.name})`}`);
  }
  const cluster = layout.clusterBy ?? [];
  if (cluster.length > 4) throw new Error(`${t.schema}.${t.name}: BigQuery clusters by at most 4 columns, got ${cluster.length}`);
  for (const name of cluster) {
    const c = find(name, 'cluster');
    if (c.type.array || c.type.base === 'JSON' || c.type.base === 'FLOAT64') throw new Error(`cluster column ${t.schema}.${t.name}.${name} cannot be ${c.sourceType} on BigQuery`);
  }
  if (cluster.length > 0) out.push(`CLUSTER BY ${cluster.join(', ')}`);
  return out;
}

/** CREATE TABLE IF NOT EXISTS for one table, on BigQuery. */
export function renderTable(t: TableDef, names: DatasetNames, layout: TableLayout = {}): string {
  const elements = t.columns.map((c) => `  ${columnSql(c, true)}`);
  if (t.primaryKey.length > 0) elements.push(`  PRIMARY KEY (${t.primaryKey.join(', ')}) NOT ENFORCED`);
  return [`CREATE TABLE IF NOT EXISTS ${names.dataset(t.schema)}.${t.name} (`, elements.join(',\n'), ')', ...checkLayout(t, layout)].join('\n');
}

export function renderBigQueryDdl(ddl: string, names: DatasetNames, layouts: TableLayouts = {}): RenderedDdl {
  const datasets: string[] = [];
  const statements: string[] = [];
  const unsupported: { sql: string; reason: string }[] = [];
  const addDataset = (schema: string) => {
    names.add(schema);
    if (!datasets.includes(names.dataset(schema))) datasets.push(names.dataset(schema));
  };
  for (const s of parseDdl(ddl)) {
    switch (s.kind) {
      case 'schema':
        addDataset(s.schema);
        break;
      case 'table':
        addDataset(s.table.schema);
        statements.push(renderTable(s.table, names, layouts[`${s.table.schema}.${s.table.name}`]));
        break;
      case 'add_column':
        // Columns added later are NULLABLE on BigQuery (it cannot add a REQUIRED column to a table with rows).
        statements.push(`ALTER TABLE ${names.dataset(s.schema)}.${s.table} ADD COLUMN IF NOT EXISTS ${columnSql(s.column, false)}`);
        break;
      case 'view':
        addDataset(s.schema);
        // The body is product SQL: names mapped, text otherwise as written (it must already be portable).
        statements.push(`CREATE OR REPLACE VIEW ${names.dataset(s.schema)}.${s.name} AS\n${toBigQuerySql(s.body, names).sql}`);
        break;
      case 'other':
        unsupported.push({ sql: s.sql, reason: /\bMACRO\b/i.test(s.sql) ? 'DuckDB macro: BigQuery has no macros (inline it or use a portable expression)' : 'no BigQuery rendering for this statement' });
        break;
    }
  }
  return { datasets, statements, unsupported };
}
